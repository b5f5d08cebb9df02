using System.Globalization;
using Doppel.Packs.Mobility.Network;
using Doppel.Packs.Mobility.Simulation;
using Doppel.Packs.Mobility.Views.Internal;
using SkiaSharp;

namespace Doppel.Packs.Mobility.Views;

/// <summary>
/// An animation of a run (<c>doppel traffic run --animate FILE.gif</c>): every recorded frame drawn as the network
/// with each road coloured by its vehicles' mean speed at that moment (<see cref="SpeedColors"/>) and the vehicles
/// where they are, written as a looping animated GIF. SkiaSharp draws the frames; the GIF is encoded here (SkiaSharp
/// decodes GIFs but does not write them), with one palette holding every colour the painter uses.
/// </summary>
public static class TrafficAnimation
{
    private const int Band = 56;

    /// <summary>Writes the animation of <paramref name="frames"/> over <paramref name="network"/> to a <c>.gif</c> file, or says why it cannot.</summary>
    public static Result<TrafficPicture> WriteGif(RoadNetwork network, IReadOnlyList<TrafficFrame> frames, string path, TrafficAnimationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(frames);
        ArgumentNullException.ThrowIfNull(path);
        options ??= new TrafficAnimationOptions();
        if (!string.Equals(Path.GetExtension(path), ".gif", StringComparison.OrdinalIgnoreCase))
        {
            return Result<TrafficPicture>.Fail("InvalidPath", $"The animation is written as an animated GIF: give a file ending in .gif, not '{path}'.");
        }
        if (options.Width is < 100 or > 4000 || options.MaxFrames < 1 || options.FrameDelay is <= 0 or > 600)
        {
            return Result<TrafficPicture>.Fail("InvalidOptions", $"An animation needs a width of 100 to 4000 pixels (not {options.Width}), at least one frame (not {options.MaxFrames}) and a frame delay of up to 600 s (not {options.FrameDelay}).");
        }
        if (frames.Count == 0)
        {
            return Result<TrafficPicture>.Fail("NoFrames", "The run recorded no frames to animate: run it with a frame period (TrafficOptions.FramePeriod).");
        }
        var shown = FrameSelection.EveryNth(frames, options.MaxFrames);
        var (width, height, projection) = Layout(network, options.Width);
        var delay = (int)Math.Max(1, Math.Round(options.FrameDelay * 100));
        var limits = network.Edges.Where(e => !e.IsInternal).ToDictionary(e => e.Id, TrafficPlot.SpeedLimit, StringComparer.Ordinal);
        var written = Files.Write(path, stream =>
        {
            using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
            using var canvas = new SKCanvas(bitmap);
            using var painter = new NetworkPainter(network, projection);
            using var font = new SKFont(SKTypeface.Default, 15);
            using var small = new SKFont(SKTypeface.Default, 12);
            using var text = new SKPaint { Color = NetworkPainter.Colour(NetworkPainter.TextColour), IsAntialias = true };
            using var gif = new GifWriter(stream, width, height, Palette());
            var colours = new Dictionary<string, uint>(StringComparer.Ordinal);
            foreach (var frame in shown)
            {
                colours.Clear();
                foreach (var edge in frame.Edges)
                {
                    if (edge.Vehicles > 0 && limits.TryGetValue(edge.Edge, out var limit) && limit > 0)
                    {
                        colours[edge.Edge] = SpeedColors.ForRatio(edge.MeanSpeed / limit);
                    }
                }
                canvas.Clear(NetworkPainter.Colour(NetworkPainter.Background));
                painter.DrawRoads(canvas, edge => colours.TryGetValue(edge, out var colour) ? colour : SpeedColors.NoTraffic);
                foreach (var vehicle in frame.Vehicles)
                {
                    painter.DrawVehicle(canvas, vehicle.X, vehicle.Y, vehicle.Angle, options.VehicleLength);
                }
                canvas.DrawText(string.Create(CultureInfo.InvariantCulture, $"t = {frame.Time:0.#} s   {frame.Vehicles.Count} vehicles"), 12, 22, SKTextAlign.Left, font, text);
                NetworkPainter.DrawLegend(canvas, 12, height - 34, Math.Min(300, width - 150), small);
                canvas.Flush();
                gif.AddFrame(bitmap.GetPixelSpan(), delay);
            }
            gif.Finish();
        });
        return written.IsSuccess ? Result<TrafficPicture>.Ok(new TrafficPicture(path, width, height, shown.Count, projection)) : Result<TrafficPicture>.Fail(written.Error);
    }

    /// <summary>The size of the animation of <paramref name="network"/> at <paramref name="width"/> pixels across, and where its map lies.</summary>
    public static (int Width, int Height, NetworkProjection Map) Layout(RoadNetwork network, int width)
    {
        ArgumentNullException.ThrowIfNull(network);
        var points = network.Edges.SelectMany(e => e.Lanes).SelectMany(l => l.Shape).ToList();
        var aspect = points.Count == 0 ? 1 : Math.Max(1, points.Max(p => p.Y) - points.Min(p => p.Y)) / Math.Max(1, points.Max(p => p.X) - points.Min(p => p.X));
        var mapHeight = (int)Math.Clamp(Math.Round(width * aspect), width / 4, width * 2);
        var height = mapHeight + (2 * Band);
        return (width, height, NetworkProjection.Fit(network, 0, Band / 2, width, mapHeight + Band, 12));
    }

    /// <summary>The painter's colours exactly, greys for text and antialiasing, and a colour cube for the blends between (253 colours: the GIF keeps one entry for transparency).</summary>
    private static List<uint> Palette()
    {
        var palette = new List<uint>();
        for (var r = 0; r < 6; r++)
        {
            for (var g = 0; g < 6; g++)
            {
                for (var b = 0; b < 6; b++)
                {
                    palette.Add((uint)((r * 51) << 16 | (g * 51) << 8 | (b * 51)));
                }
            }
        }
        for (var i = 1; i < 13; i++)
        {
            var v = (uint)(i * 16);
            palette.Add(v << 16 | v << 8 | v);
        }
        palette.AddRange(SpeedColors.All);
        palette.AddRange([SpeedColors.NoTraffic, NetworkPainter.JunctionColour, NetworkPainter.VehicleColour, NetworkPainter.TextColour, NetworkPainter.Background]);
        return [.. palette.Distinct()];
    }
}
