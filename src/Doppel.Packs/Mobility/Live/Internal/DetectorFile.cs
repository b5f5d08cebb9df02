using Doppel.Packs.Mobility.Network;

namespace Doppel.Packs.Mobility.Live.Internal;

/// <summary>The induction loops of a SUMO additional file (<c>inductionLoop</c> or <c>e1Detector</c>: id, lane, pos, period or freq).</summary>
internal static class DetectorFile
{
    public static Result<IReadOnlyList<InductionLoop>> Read(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            return Read(file, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return Result<IReadOnlyList<InductionLoop>>.Fail("InvalidArgument", $"{path}: cannot be read: {e.Message}");
        }
    }

    public static Result<IReadOnlyList<InductionLoop>> Read(Stream stream, string name)
    {
        var loops = new List<InductionLoop>();
        var error = SumoXml.ReadElements(stream, name, ["inductionLoop", "e1Detector"], (element, where) =>
        {
            var id = element.GetAttribute("id");
            var lane = element.GetAttribute("lane");
            if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(lane))
            {
                return $"{where}: an induction loop needs an 'id' and a 'lane'";
            }
            if (!SumoXml.TryNumber(element, "pos", out var position, out var problem))
            {
                return $"{where}: {problem}";
            }
            var periodName = element.GetAttribute("period") is not null ? "period" : "freq";
            var period = 900.0;
            if (element.GetAttribute(periodName) is not null && !SumoXml.TryNumber(element, periodName, out period, out problem))
            {
                return $"{where}: {problem}";
            }
            if (!(period > 0))
            {
                return $"{where}: detector '{id}' has period {period}; a period is a positive number of seconds";
            }
            loops.Add(new InductionLoop(id, lane, position, period) { File = element.GetAttribute("file") });
            return null;
        });
        return error is null ? Result<IReadOnlyList<InductionLoop>>.Ok(loops) : Result<IReadOnlyList<InductionLoop>>.Fail("InvalidArgument", error);
    }
}
