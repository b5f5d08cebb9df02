using System.Globalization;
using Doppel.Packs.Mobility.Network;
using Doppel.Packs.Mobility.Simulation;
using Doppel.Packs.Mobility.Views.Internal;
using ScottPlot;
using SkiaSharp;
using Edge = Doppel.Packs.Mobility.Network.Edge;

namespace Doppel.Packs.Mobility.Views;

/// <summary>
/// The picture of a traffic run (<c>doppel traffic run --plot FILE.png</c>): on the left the network with each road
/// coloured by the mean speed its vehicles drove there over the run (as a share of the limit, <see cref="SpeedColors"/>),
/// on the right the run over time from its summary: vehicles running and waiting to enter, their mean speed, and
/// vehicles arrived.
/// </summary>
public static class TrafficPlot
{
    /// <summary>How often a run records the frames a picture or an animation is drawn from, when the caller has no better idea (s).</summary>
    public const double DefaultFramePeriod = 5;

    private const int Width = 1600;
    private const int Height = 900;
    private const int MapSize = 900;

    /// <summary>
    /// Writes the picture of <paramref name="result"/> (a run of <paramref name="network"/> that recorded frames:
    /// <c>TrafficOptions.FramePeriod</c>) as a PNG file, or says why it cannot.
    /// </summary>
    public static Result<TrafficPicture> WritePng(RoadNetwork network, TrafficResult result, string path)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(path);
        if (result.Frames.Count == 0)
        {
            return Result<TrafficPicture>.Fail("NoFrames", "The run recorded no frames to colour the roads from: run it with a frame period (TrafficOptions.FramePeriod).");
        }
        var ratios = MeanSpeedRatios(network, result.Frames);
        var projection = NetworkProjection.Fit(network, 0, 40, MapSize, MapSize - 100, 16);
        using var bitmap = new SKBitmap(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
        using (var painter = new NetworkPainter(network, projection))
        using (var font = new SKFont(SKTypeface.Default, 15))
        using (var text = new SKPaint { Color = NetworkPainter.Colour(NetworkPainter.TextColour), IsAntialias = true })
        {
            canvas.Clear(NetworkPainter.Colour(NetworkPainter.Background));
            painter.DrawRoads(canvas, edge => ratios.TryGetValue(edge, out var ratio) ? SpeedColors.ForRatio(ratio) : SpeedColors.NoTraffic);
            var trips = result.Trips.Count;
            canvas.DrawText(string.Create(CultureInfo.InvariantCulture, $"Mean speed on each road over {result.EndTime:0} s ({trips} trips)"), 16, 26, SKTextAlign.Left, font, text);
            using var small = new SKFont(SKTypeface.Default, 13);
            NetworkPainter.DrawLegend(canvas, 16, MapSize - 46, 360, small);
            DrawTimeSeries(canvas, result.Summary, new PixelRect(MapSize, Width, Height, 0));
        }
        var written = Files.Write(path, stream => bitmap.Encode(stream, SKEncodedImageFormat.Png, 100));
        return written.IsSuccess ? Result<TrafficPicture>.Ok(new TrafficPicture(path, Width, Height, 1, projection)) : Result<TrafficPicture>.Fail(written.Error);
    }

    /// <summary>
    /// Each road's mean speed over the frames as a share of its limit: the speeds of the vehicles seen on it, each
    /// vehicle in each frame counted once (the space-mean speed a probe vehicle would see). Roads nobody drove are absent.
    /// </summary>
    public static IReadOnlyDictionary<string, double> MeanSpeedRatios(RoadNetwork network, IReadOnlyList<TrafficFrame> frames)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(frames);
        var sums = new Dictionary<string, (double Speed, long Vehicles)>(StringComparer.Ordinal);
        foreach (var frame in frames)
        {
            foreach (var edge in frame.Edges)
            {
                if (edge.Vehicles > 0)
                {
                    var (speed, vehicles) = sums.GetValueOrDefault(edge.Edge);
                    sums[edge.Edge] = (speed + (edge.MeanSpeed * edge.Vehicles), vehicles + edge.Vehicles);
                }
            }
        }
        var ratios = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (id, (speed, vehicles)) in sums)
        {
            if (network.FindEdge(id) is { } edge && SpeedLimit(edge) is > 0 and var limit)
            {
                ratios[id] = speed / vehicles / limit;
            }
        }
        return ratios;
    }

    /// <summary>An edge's limit: the fastest of its lanes.</summary>
    public static double SpeedLimit(Edge edge)
    {
        ArgumentNullException.ThrowIfNull(edge);
        return edge.Lanes.Count == 0 ? 0 : edge.Lanes.Max(l => l.Speed);
    }

    private static void DrawTimeSeries(SKCanvas canvas, IReadOnlyList<SummaryStep> summary, PixelRect area)
    {
        var times = summary.Select(s => s.Time).ToArray();
        var third = area.Height / 3;
        var panels = new (string Title, string Axis, Action<Plot> Add)[]
        {
            ("Vehicles in the network", "vehicles", plot =>
            {
                Line(plot, times, summary.Select(s => (double)s.Running).ToArray(), "running", Colors.Navy);
                Line(plot, times, summary.Select(s => (double)s.Waiting).ToArray(), "waiting to enter", Colors.DarkOrange);
                Line(plot, times, summary.Select(s => (double)s.Halting).ToArray(), "halting", Colors.Crimson);
                plot.ShowLegend(Alignment.UpperRight);
            }),
            ("Mean speed of the running vehicles", "m/s", plot =>
            {
                // SUMO writes -1 while nobody runs: those steps have no speed to draw.
                var running = summary.Where(s => s.Running > 0 && s.MeanSpeed >= 0).ToList();
                Line(plot, running.Select(s => s.Time).ToArray(), running.Select(s => s.MeanSpeed).ToArray(), null, Colors.SeaGreen);
            }),
            ("Vehicles arrived", "vehicles", plot => Line(plot, times, summary.Select(s => (double)s.Arrived).ToArray(), null, Colors.Purple)),
        };
        for (var i = 0; i < panels.Length; i++)
        {
            var plot = new Plot();
            panels[i].Add(plot);
            plot.Title(panels[i].Title, 14);
            plot.YLabel(panels[i].Axis, 12);
            plot.XLabel("time (s)", 12);
            // A plot clears the canvas it renders on, so each is drawn on its own bitmap first.
            using var panel = new SKBitmap(new SKImageInfo((int)area.Width, (int)third, SKColorType.Rgba8888, SKAlphaType.Premul));
            using (var panelCanvas = new SKCanvas(panel))
            {
                plot.Render(panelCanvas, panel.Width, panel.Height);
            }
            canvas.DrawBitmap(panel, area.Left, area.Top + (i * third));
        }
    }

    private static void Line(Plot plot, double[] xs, double[] ys, string? label, Color colour)
    {
        if (xs.Length == 0)
        {
            return;
        }
        var line = plot.Add.ScatterLine(xs, ys);
        line.Color = colour;
        line.LineWidth = 2;
        if (label is not null)
        {
            line.LegendText = label;
        }
    }
}
