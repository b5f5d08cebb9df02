using Doppel.Packs.Mobility.Network;
using Doppel.Packs.Mobility.Simulation;

namespace Doppel.Packs.Mobility.Views;

/// <summary>
/// What <c>doppel traffic run --plot FILE.png --animate FILE.gif</c> needs from the views: how often the run must
/// record frames for them, and writing both files after the run.
/// </summary>
public static class TrafficViews
{
    /// <summary>
    /// The frame period (s) for a run from <paramref name="begin"/> to <paramref name="end"/> (null: until every vehicle
    /// has arrived, taken as <paramref name="lastDeparture"/> plus ten minutes): as often as an animation of
    /// <see cref="TrafficAnimationOptions.MaxFrames"/> frames shows, and never more than once a second, so a long run
    /// records no more frames than are drawn. Null when neither a picture nor an animation is asked for.
    /// </summary>
    public static double? FramePeriod(bool picture, bool animation, double begin, double? end, double lastDeparture)
    {
        if (!picture && !animation)
        {
            return null;
        }
        var span = Math.Max(1, (end ?? (lastDeparture + 600)) - begin);
        var frames = animation ? new TrafficAnimationOptions().MaxFrames : 200;
        return Math.Max(1, Math.Ceiling(span / frames));
    }

    /// <summary>Refuses, before a run, file names the writers would refuse after it: a picture not ending in .png, an animation not in .gif, a folder that does not exist.</summary>
    public static DoppelError? Check(string? plotPath, string? animationPath)
    {
        foreach (var (path, extension, what) in new[] { (plotPath, ".png", "--plot writes a PNG picture"), (animationPath, ".gif", "--animate writes an animated GIF") })
        {
            if (path is null)
            {
                continue;
            }
            if (!string.Equals(Path.GetExtension(path), extension, StringComparison.OrdinalIgnoreCase))
            {
                return new DoppelError("InvalidPath", $"{what}: give a file ending in {extension}, not '{path}'.");
            }
            var folder = Path.GetDirectoryName(Path.GetFullPath(path));
            if (folder is null || !Directory.Exists(folder))
            {
                return new DoppelError("InvalidPath", $"Cannot write {path}: the folder {folder} does not exist.");
            }
        }
        return null;
    }

    /// <summary>Writes the picture (<paramref name="plotPath"/>) and the animation (<paramref name="animationPath"/>) that are asked for; the first failure, or null.</summary>
    public static DoppelError? Write(RoadNetwork network, TrafficResult result, string? plotPath, string? animationPath)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(result);
        if (plotPath is not null && TrafficPlot.WritePng(network, result, plotPath) is { IsSuccess: false } plot)
        {
            return plot.Error;
        }
        if (animationPath is not null && TrafficAnimation.WriteGif(network, result.Frames, animationPath) is { IsSuccess: false } animation)
        {
            return animation.Error;
        }
        return null;
    }
}
