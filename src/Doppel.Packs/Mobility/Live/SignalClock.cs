using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace Doppel.Packs.Mobility.Live;

/// <summary>A fixed-time signal program as a clock: which phase and state it shows at a time (SUMO's: the cycle runs from the offset).</summary>
public sealed record SignalClock(double Offset, IReadOnlyList<(double Duration, string State)> Phases)
{
    /// <summary>The cycle's length (s).</summary>
    public double Cycle => Phases.Sum(p => p.Duration);

    /// <summary>The phase index and state at <paramref name="time"/> (s of the day).</summary>
    public (int Phase, string State) At(double time)
    {
        var cycle = Cycle;
        var position = ((time - Offset) % cycle + cycle) % cycle;
        for (var i = 0; i < Phases.Count; i++)
        {
            if (position < Phases[i].Duration)
            {
                return (i, Phases[i].State);
            }
            position -= Phases[i].Duration;
        }
        return (Phases.Count - 1, Phases[^1].State);
    }

    /// <summary>Reads a <c>tlLogic</c> element's phases and offset; an error says what is missing.</summary>
    public static Result<SignalClock> Parse(string tlLogic)
    {
        try
        {
            var element = XElement.Parse(tlLogic);
            var offset = double.Parse((string?)element.Attribute("offset") ?? "0", NumberStyles.Float, CultureInfo.InvariantCulture);
            var phases = element.Elements("phase")
                .Select(p => (double.Parse((string?)p.Attribute("duration") ?? "", NumberStyles.Float, CultureInfo.InvariantCulture), (string?)p.Attribute("state") ?? "")).ToList();
            return phases.Count == 0 || phases.Any(p => !(p.Item1 > 0) || p.Item2.Length == 0)
                ? Result<SignalClock>.Fail("InvalidArgument", "The signal program has no phases, or a phase without a positive duration and a state.")
                : Result<SignalClock>.Ok(new SignalClock(offset, phases));
        }
        catch (Exception e) when (e is XmlException or FormatException)
        {
            return Result<SignalClock>.Fail("InvalidArgument", $"The signal program is not a tlLogic SUMO reads: {e.Message}");
        }
    }
}
