using Doppel.Packs.Mobility.Output.Internal;
using Doppel.Packs.Mobility.Simulation;

namespace Doppel.Packs.Mobility.Output;

/// <summary>
/// Writes trips as SUMO's <c>--tripinfo-output</c> (every attribute its schema requires, in its order and number format),
/// so SUMO's tools (<c>tools/xml/xml2csv.py</c>, <c>tools/output/tripStatistics.py</c>, ...) read Doppel's runs as SUMO's.
/// </summary>
public static class TripInfoWriter
{
    public static void Write(TextWriter writer, IEnumerable<TripInfo> trips)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(trips);
        using var xml = SumoOutput.Create(writer);
        SumoOutput.Root(xml, "tripinfos", "tripinfo_file.xsd");
        foreach (var trip in trips)
        {
            xml.WriteStartElement("tripinfo");
            xml.WriteAttributeString("id", trip.Id);
            xml.WriteAttributeString("depart", SumoOutput.F(trip.Depart));
            xml.WriteAttributeString("departLane", trip.DepartLane);
            xml.WriteAttributeString("departPos", SumoOutput.F(trip.DepartPos));
            xml.WriteAttributeString("departSpeed", SumoOutput.F(trip.DepartSpeed));
            xml.WriteAttributeString("departDelay", SumoOutput.F(trip.DepartDelay));
            xml.WriteAttributeString("arrival", SumoOutput.F(trip.Arrival));
            xml.WriteAttributeString("arrivalLane", trip.ArrivalLane);
            xml.WriteAttributeString("arrivalPos", SumoOutput.F(trip.ArrivalPos));
            xml.WriteAttributeString("arrivalSpeed", SumoOutput.F(trip.ArrivalSpeed));
            xml.WriteAttributeString("duration", SumoOutput.F(trip.Duration));
            xml.WriteAttributeString("routeLength", SumoOutput.F(trip.RouteLength));
            xml.WriteAttributeString("waitingTime", SumoOutput.F(trip.WaitingTime));
            xml.WriteAttributeString("waitingCount", SumoOutput.I(trip.WaitingCount));
            xml.WriteAttributeString("stopTime", SumoOutput.F(0)); // no vehicle stops (no <stop> is simulated)
            xml.WriteAttributeString("timeLoss", SumoOutput.F(trip.TimeLoss));
            xml.WriteAttributeString("rerouteNo", SumoOutput.I(trip.RerouteCount));
            xml.WriteAttributeString("devices", "tripinfo_" + trip.Id);
            xml.WriteAttributeString("vType", trip.TypeId);
            xml.WriteAttributeString("speedFactor", SumoOutput.F(trip.SpeedFactor));
            xml.WriteAttributeString("vaporized", "");
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
        xml.WriteEndDocument();
    }

    public static Result<string> Write(string path, IEnumerable<TripInfo> trips) => SumoOutput.ToFile(path, w => Write(w, trips));
}
