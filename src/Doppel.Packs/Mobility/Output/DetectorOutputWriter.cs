using Doppel.Packs.Mobility.Output.Internal;
using Doppel.Packs.Mobility.Simulation;

namespace Doppel.Packs.Mobility.Output;

/// <summary>Writes induction-loop intervals as SUMO's e1 detector output (<c>&lt;detector&gt;&lt;interval .../&gt;</c>), in the order given.</summary>
public static class DetectorOutputWriter
{
    public static void Write(TextWriter writer, IEnumerable<DetectorInterval> intervals)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(intervals);
        using var xml = SumoOutput.Create(writer);
        SumoOutput.Root(xml, "detector", "det_e1_file.xsd");
        foreach (var interval in intervals)
        {
            xml.WriteStartElement("interval");
            xml.WriteAttributeString("begin", SumoOutput.F(interval.Begin));
            xml.WriteAttributeString("end", SumoOutput.F(interval.End));
            xml.WriteAttributeString("id", interval.Detector);
            xml.WriteAttributeString("nVehContrib", SumoOutput.I(interval.Vehicles));
            xml.WriteAttributeString("flow", SumoOutput.F(interval.Flow));
            xml.WriteAttributeString("occupancy", SumoOutput.F(interval.Occupancy));
            xml.WriteAttributeString("speed", SumoOutput.F(interval.MeanSpeed));
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
        xml.WriteEndDocument();
    }

    public static Result<string> Write(string path, IEnumerable<DetectorInterval> intervals) => SumoOutput.ToFile(path, w => Write(w, intervals));
}
