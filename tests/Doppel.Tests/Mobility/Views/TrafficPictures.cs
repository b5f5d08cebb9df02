using Doppel.Packs.Mobility.Network;
using Doppel.Packs.Mobility.Simulation;
using SkiaSharp;

namespace Doppel.Tests.Mobility.Views;

/// <summary>
/// A small network built by hand for the picture tests: a road east ("east", 300 m at 13.89 m/s) into a junction, and
/// a road north out of it ("north", 300 m at 13.89 m/s), with frames where "east" flows at the limit and "north" jams
/// more and more. Also decodes what the views wrote, with SkiaSharp's own decoders.
/// </summary>
internal static class TrafficPictures
{
    public const double Limit = 13.89;

    public static RoadNetwork Network()
    {
        static Edge Road(string id, string from, string to, Point2 a, Point2 b) =>
            new(id, from, to, EdgeFunction.Normal, 1, [new Lane(id + "_0", 0, Limit, 300, [a, b])]);
        var internalLane = new Lane(":j_0_0", 0, Limit, 5, [new Point2(300, -1.6), new Point2(301.6, 0)]);
        return new RoadNetwork(
            [Road("east", "w", "j", new Point2(0, -1.6), new Point2(298, -1.6)), new Edge(":j_0", null, null, EdgeFunction.Internal, 0, [internalLane]), Road("north", "j", "n", new Point2(301.6, 2), new Point2(301.6, 300))],
            [new Junction("w", "dead_end", new Point2(0, 0), [], [], []), new Junction("j", "priority", new Point2(300, 0), ["east_0"], [":j_0_0"], [new JunctionRequest(0, "0", "0", false)]) { Shape = [new Point2(297, -4), new Point2(304, -4), new Point2(304, 3), new Point2(297, 3)] }, new Junction("n", "dead_end", new Point2(300, 300), ["north_0"], [], [])],
            [new Connection("east", "north", 0, 0, ":j_0_0", null, 0, 'l', 'M')],
            []);
    }

    /// <summary>Frame k at time 10k: "east" at the limit, "north" at (1 - k/(n-1)) of it; one vehicle on each road.</summary>
    public static List<TrafficFrame> Frames(int count) =>
        [.. Enumerable.Range(0, count).Select(k =>
        {
            var northSpeed = Limit * (1 - ((double)k / Math.Max(1, count - 1)));
            return new TrafficFrame(10 * k,
                [new VehicleView("a", "east_0", 100, 100, -1.6, 90, Limit), new VehicleView("b", "north_0", 150, 301.6, 152, 0, northSpeed)],
                [new EdgeView("east", 1, Limit, 0), new EdgeView("north", 6, northSpeed, northSpeed < 0.1 ? 6 : 0)]);
        })];

    public static TrafficResult Result(IReadOnlyList<TrafficFrame> frames)
    {
        var summary = Enumerable.Range(0, 60).Select(t => new SummaryStep(t * 5, t, t, Math.Min(t, 7), 0, t - Math.Min(t, 7), t - Math.Min(t, 7), 0, 0, t / 10, 1, 30, t == 0 ? -1 : 10 - (t / 10.0))).ToList();
        return new TrafficResult([], summary, [], frames, 0, 0, 1000, 300, TimeSpan.FromSeconds(1));
    }

    /// <summary>The colour (0xRRGGBB) of a decoded pixel.</summary>
    public static uint Rgb(SKBitmap bitmap, (double X, double Y) at)
    {
        var pixel = bitmap.GetPixel((int)Math.Round(at.X), (int)Math.Round(at.Y));
        return ((uint)pixel.Red << 16) | ((uint)pixel.Green << 8) | pixel.Blue;
    }

    /// <summary>Every frame of a GIF decoded whole (SkiaSharp's GIF decoder), in order.</summary>
    public static List<SKBitmap> DecodeFrames(string path, out SKCodecFrameInfo[] info)
    {
        using var codec = SKCodec.Create(path) ?? throw new InvalidOperationException($"SkiaSharp cannot read {path}.");
        info = codec.FrameInfo;
        var frames = new List<SKBitmap>();
        var imageInfo = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        for (var i = 0; i < Math.Max(1, codec.FrameCount); i++)
        {
            var bitmap = new SKBitmap(imageInfo);
            var result = codec.GetPixels(imageInfo, bitmap.GetPixels(), new SKCodecOptions(i));
            if (result != SKCodecResult.Success)
            {
                throw new InvalidOperationException($"Frame {i} of {path} does not decode: {result}.");
            }
            frames.Add(bitmap);
        }
        return frames;
    }
}
