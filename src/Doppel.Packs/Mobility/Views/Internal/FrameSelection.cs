using Doppel.Packs.Mobility.Simulation;

namespace Doppel.Packs.Mobility.Views.Internal;

internal static class FrameSelection
{
    /// <summary>Every n-th frame so that at most <paramref name="max"/> remain, the last always kept (where the run ends).</summary>
    public static List<TrafficFrame> EveryNth(IReadOnlyList<TrafficFrame> frames, int max)
    {
        var picked = new List<TrafficFrame>();
        if (frames.Count == 0)
        {
            return picked;
        }
        var stride = (frames.Count + max - 1) / max;
        for (var i = (frames.Count - 1) % stride; i < frames.Count; i += stride)
        {
            picked.Add(frames[i]);
        }
        return picked;
    }
}
