using System.Globalization;
using System.Xml;

namespace Doppel.Packs.Mobility.Simulation.Internal;

/// <summary>Writes a run's tripinfo and summary in SUMO's XML formats; a file that cannot be written is a message, not an exception.</summary>
internal static class TrafficOutputFiles
{
    public static string? WriteTripInfo(string path, IReadOnlyList<TripInfo> trips) => Write(path, "tripinfos", w =>
    {
        foreach (var t in trips)
        {
            w.WriteStartElement("tripinfo");
            w.WriteAttributeString("id", t.Id);
            Number(w, "depart", t.Depart);
            w.WriteAttributeString("departLane", t.DepartLane);
            Number(w, "departDelay", t.DepartDelay);
            Number(w, "arrival", t.Arrival);
            w.WriteAttributeString("arrivalLane", t.ArrivalLane);
            Number(w, "duration", t.Duration);
            Number(w, "routeLength", t.RouteLength);
            Number(w, "waitingTime", t.WaitingTime);
            w.WriteAttributeString("waitingCount", t.WaitingCount.ToString(CultureInfo.InvariantCulture));
            Number(w, "timeLoss", t.TimeLoss);
            w.WriteAttributeString("vType", t.TypeId);
            w.WriteEndElement();
        }
    });

    public static string? WriteSummary(string path, IReadOnlyList<SummaryStep> steps) => Write(path, "summary", w =>
    {
        foreach (var s in steps)
        {
            w.WriteStartElement("step");
            Number(w, "time", s.Time);
            w.WriteAttributeString("loaded", s.Loaded.ToString(CultureInfo.InvariantCulture));
            w.WriteAttributeString("inserted", s.Inserted.ToString(CultureInfo.InvariantCulture));
            w.WriteAttributeString("running", s.Running.ToString(CultureInfo.InvariantCulture));
            w.WriteAttributeString("waiting", s.Waiting.ToString(CultureInfo.InvariantCulture));
            w.WriteAttributeString("ended", s.Ended.ToString(CultureInfo.InvariantCulture));
            w.WriteAttributeString("arrived", s.Arrived.ToString(CultureInfo.InvariantCulture));
            w.WriteAttributeString("collisions", s.Collisions.ToString(CultureInfo.InvariantCulture));
            w.WriteAttributeString("teleports", s.Teleports.ToString(CultureInfo.InvariantCulture));
            w.WriteAttributeString("halting", s.Halting.ToString(CultureInfo.InvariantCulture));
            Number(w, "meanWaitingTime", s.MeanWaitingTime);
            Number(w, "meanTravelTime", s.MeanTravelTime);
            Number(w, "meanSpeed", s.MeanSpeed);
            w.WriteEndElement();
        }
    });

    private static void Number(XmlWriter w, string name, double value) => w.WriteAttributeString(name, value.ToString("0.##", CultureInfo.InvariantCulture));

    private static string? Write(string path, string root, Action<XmlWriter> body)
    {
        try
        {
            using var writer = XmlWriter.Create(path, new XmlWriterSettings { Indent = true });
            writer.WriteStartDocument();
            writer.WriteStartElement(root);
            body(writer);
            writer.WriteEndElement();
            writer.WriteEndDocument();
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return $"Cannot write '{path}': {e.Message}";
        }
    }
}
