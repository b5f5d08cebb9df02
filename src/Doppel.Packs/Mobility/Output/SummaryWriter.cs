using Doppel.Packs.Mobility.Output.Internal;
using Doppel.Packs.Mobility.Simulation;

namespace Doppel.Packs.Mobility.Output;

/// <summary>Writes a run's per-step summary as SUMO's <c>--summary-output</c>.</summary>
public static class SummaryWriter
{
    public static void Write(TextWriter writer, IEnumerable<SummaryStep> steps)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(steps);
        using var xml = SumoOutput.Create(writer);
        SumoOutput.Root(xml, "summary", "summary_file.xsd");
        foreach (var step in steps)
        {
            xml.WriteStartElement("step");
            xml.WriteAttributeString("time", SumoOutput.F(step.Time));
            xml.WriteAttributeString("loaded", SumoOutput.I(step.Loaded));
            xml.WriteAttributeString("inserted", SumoOutput.I(step.Inserted));
            xml.WriteAttributeString("running", SumoOutput.I(step.Running));
            xml.WriteAttributeString("waiting", SumoOutput.I(step.Waiting));
            xml.WriteAttributeString("ended", SumoOutput.I(step.Ended));
            xml.WriteAttributeString("arrived", SumoOutput.I(step.Arrived));
            xml.WriteAttributeString("collisions", SumoOutput.I(step.Collisions));
            xml.WriteAttributeString("teleports", SumoOutput.I(step.Teleports));
            xml.WriteAttributeString("halting", SumoOutput.I(step.Halting));
            xml.WriteAttributeString("stopped", "0"); // no vehicle stops (no <stop> is simulated)
            xml.WriteAttributeString("meanWaitingTime", SumoOutput.F(step.MeanWaitingTime));
            xml.WriteAttributeString("meanTravelTime", SumoOutput.F(step.MeanTravelTime));
            xml.WriteAttributeString("meanSpeed", SumoOutput.F(step.MeanSpeed));
            xml.WriteAttributeString("meanSpeedRelative", SumoOutput.F(step.MeanSpeedRelative));
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
        xml.WriteEndDocument();
    }

    public static Result<string> Write(string path, IEnumerable<SummaryStep> steps) => SumoOutput.ToFile(path, w => Write(w, steps));
}
