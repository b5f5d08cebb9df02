using System.Globalization;
using System.Xml.Linq;
using Doppel.Packs.Mobility.Network;

namespace Doppel.Packs.Mobility.Planning.Internal;

/// <summary>A SUMO additional file of <c>tlLogic</c> programs (<c>sumo -a FILE</c> loads them and runs them, being loaded last).</summary>
internal static class SignalPlanFile
{
    public static string Write(IEnumerable<SignalProgram> programs, string comment)
    {
        var additional = new XElement("additional", new XComment($" {comment.Replace("--", "- -", StringComparison.Ordinal)} "));
        foreach (var program in programs)
        {
            var logic = new XElement("tlLogic",
                new XAttribute("id", program.Id),
                new XAttribute("type", program.Type),
                new XAttribute("programID", program.ProgramId),
                new XAttribute("offset", Number(program.Offset)));
            foreach (var phase in program.Phases)
            {
                var element = new XElement("phase", new XAttribute("duration", Number(phase.Duration)), new XAttribute("state", phase.State));
                if (phase.MinDuration is { } min)
                {
                    element.Add(new XAttribute("minDur", Number(min)));
                }
                if (phase.MaxDuration is { } max)
                {
                    element.Add(new XAttribute("maxDur", Number(max)));
                }
                if (phase.Name is { } name)
                {
                    element.Add(new XAttribute("name", name));
                }
                logic.Add(element);
            }
            additional.Add(logic);
        }
        return new XDocument(new XDeclaration("1.0", "UTF-8", null), additional).Declaration + Environment.NewLine + additional + Environment.NewLine;
    }

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
