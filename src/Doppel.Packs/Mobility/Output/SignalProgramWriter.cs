using System.Globalization;
using Doppel.Packs.Mobility.Network;
using Doppel.Packs.Mobility.Output.Internal;

namespace Doppel.Packs.Mobility.Output;

/// <summary>
/// Writes traffic-light programs as an additional file SUMO loads (<c>sumo -a plan.add.xml</c>): each <c>tlLogic</c>
/// replaces the network's program of the same signal and program id, and the last loaded program is the one in force.
/// </summary>
public static class SignalProgramWriter
{
    public static void Write(TextWriter writer, IEnumerable<SignalProgram> programs)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(programs);
        using var xml = SumoOutput.Create(writer);
        SumoOutput.Root(xml, "additional", "additional_file.xsd");
        foreach (var program in programs)
        {
            xml.WriteStartElement("tlLogic");
            xml.WriteAttributeString("id", program.Id);
            xml.WriteAttributeString("type", program.Type);
            xml.WriteAttributeString("programID", program.ProgramId);
            xml.WriteAttributeString("offset", Number(program.Offset));
            foreach (var phase in program.Phases)
            {
                xml.WriteStartElement("phase");
                xml.WriteAttributeString("duration", Number(phase.Duration));
                xml.WriteAttributeString("state", phase.State);
                if (phase.MinDuration is { } min)
                {
                    xml.WriteAttributeString("minDur", Number(min));
                }
                if (phase.MaxDuration is { } max)
                {
                    xml.WriteAttributeString("maxDur", Number(max));
                }
                if (phase.Name is { } name)
                {
                    xml.WriteAttributeString("name", name);
                }
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
        xml.WriteEndDocument();
    }

    public static Result<string> Write(string path, IEnumerable<SignalProgram> programs) => SumoOutput.ToFile(path, w => Write(w, programs));

    // Durations and offsets as exact as they are (an optimised split need not be whole seconds); SUMO reads any decimal.
    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
