using Doppel.Packs.Mobility.Live.Internal;

namespace Doppel.Packs.Mobility.Live;

/// <summary>What drove on one edge in one period, from SUMO's edgeData output: vehicles that entered it from upstream and that started on it.</summary>
public sealed record EdgeCount(string Edge, double Begin, double End, int Entered, int Departed)
{
    /// <summary>Every vehicle that used the edge in the period: the link's flow (veh) that the estimate is scored against.</summary>
    public int Vehicles => Entered + Departed;
}

/// <summary>
/// The true flows of every edge over a recorded day: SUMO's <c>edgeData</c> output (plain or gzip), the simulation's own
/// counts, against which a link-flow estimate made from a few detectors is scored.
/// </summary>
public sealed record EdgeCounts(IReadOnlyList<EdgeCount> Counts)
{
    /// <summary>Reads SUMO's edgeData output; an error names the file, line and what is wrong.</summary>
    public static Result<EdgeCounts> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Network.Internal.SumoXml.ReadFile(path, Read);
    }

    /// <summary>Reads SUMO's edgeData output from a stream (gzip recognised by its magic bytes).</summary>
    public static Result<EdgeCounts> Read(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var counts = new List<EdgeCount>();
        double begin = double.NaN, end = double.NaN;
        var error = SumoXml.ReadElements(stream, name, ["interval", "edge"], (element, where) =>
        {
            if (element.LocalName == "interval")
            {
                return SumoXml.TryNumber(element, "begin", out begin, out var problem) && SumoXml.TryNumber(element, "end", out end, out problem) ? null : $"{where}: {problem}";
            }
            if (double.IsNaN(begin))
            {
                return $"{where}: an edge outside an interval";
            }
            var id = element.GetAttribute("id");
            if (string.IsNullOrEmpty(id))
            {
                return $"{where}: an edge without an 'id'";
            }
            if (!SumoXml.TryNumber(element, "entered", out var entered, out var missing) || !SumoXml.TryNumber(element, "departed", out var departed, out missing))
            {
                return $"{where}: {missing} (write edgeData with entered and departed)";
            }
            counts.Add(new EdgeCount(id, begin, end, (int)entered, (int)departed));
            return null;
        });
        return error is null ? Result<EdgeCounts>.Ok(new EdgeCounts(counts)) : Result<EdgeCounts>.Fail("InvalidArgument", error);
    }
}
