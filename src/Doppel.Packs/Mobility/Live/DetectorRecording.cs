using Doppel.Packs.Mobility.Live.Internal;

namespace Doppel.Packs.Mobility.Live;

/// <summary>One period of one induction loop as SUMO's e1 output writes it (<c>&lt;interval begin end id nVehContrib flow occupancy speed/&gt;</c>).</summary>
/// <param name="Detector">The SUMO detector id.</param>
/// <param name="Begin">Start of the period (s of simulation time).</param>
/// <param name="End">End of the period (s).</param>
/// <param name="Count">Vehicles that crossed the loop (nVehContrib).</param>
/// <param name="Flow">Hourly flow (veh/h).</param>
/// <param name="Occupancy">Share of the period the loop was occupied (%).</param>
/// <param name="Speed">Mean speed of the vehicles that crossed (m/s; -1 when none did).</param>
public sealed record DetectorReading(string Detector, double Begin, double End, int Count, double Flow, double Occupancy, double Speed);

/// <summary>
/// A recorded day of detector counts: SUMO's e1 (induction loop) output, plain or gzip-compressed, as a city's loops
/// would have reported it. The live demo replays it and <c>doppel traffic estimate</c> scores the link-flow estimate on it.
/// </summary>
public sealed record DetectorRecording(IReadOnlyList<DetectorReading> Readings)
{
    /// <summary>Reads SUMO's e1 output; an error names the file, line and what is wrong.</summary>
    public static Result<DetectorRecording> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Network.Internal.SumoXml.ReadFile(path, Read);
    }

    /// <summary>Reads SUMO's e1 output from a stream (gzip is recognised by its magic bytes); <paramref name="name"/> names it in errors.</summary>
    public static Result<DetectorRecording> Read(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var readings = new List<DetectorReading>();
        var error = SumoXml.ReadElements(stream, name, ["interval"], (element, where) =>
        {
            var id = element.GetAttribute("id");
            if (string.IsNullOrEmpty(id))
            {
                return $"{where}: an interval without an 'id' (the detector)";
            }
            if (!SumoXml.TryNumber(element, "begin", out var begin, out var problem) || !SumoXml.TryNumber(element, "end", out var end, out problem)
                || !SumoXml.TryNumber(element, "nVehContrib", out var count, out problem) || !SumoXml.TryNumber(element, "flow", out var flow, out problem)
                || !SumoXml.TryNumber(element, "occupancy", out var occupancy, out problem) || !SumoXml.TryNumber(element, "speed", out var speed, out problem))
            {
                return $"{where}: {problem}";
            }
            if (!(end > begin) || count < 0 || count != Math.Floor(count))
            {
                return $"{where}: detector '{id}' has end {end} not after begin {begin} or a count {count} that is not a whole number ≥ 0";
            }
            readings.Add(new DetectorReading(id, begin, end, (int)count, flow, occupancy, speed));
            return null;
        });
        return error is null ? Result<DetectorRecording>.Ok(new DetectorRecording(readings)) : Result<DetectorRecording>.Fail("InvalidArgument", error);
    }

    /// <summary>The readings grouped by period end, in time order.</summary>
    public IReadOnlyList<IGrouping<double, DetectorReading>> Periods() =>
        [.. Readings.GroupBy(r => r.End).OrderBy(g => g.Key)];
}
