using Doppel.Packs.Mobility.Network;
using SkiaSharp;

namespace Doppel.Packs.Mobility.Views.Internal;

/// <summary>
/// Draws a road network with SkiaSharp: junction areas and the lanes inside them in grey, each normal edge's lanes in
/// the colour the caller gives the edge, vehicles as small dark boxes pointing where they drive. Lane outlines are
/// projected once; a frame only strokes them again.
/// </summary>
internal sealed class NetworkPainter : IDisposable
{
    public const uint Background = 0xFFFFFF;
    public const uint JunctionColour = 0xD5D9DE;
    public const uint VehicleColour = 0x1D3557;
    public const uint TextColour = 0x212529;

    private readonly NetworkProjection _projection;
    private readonly List<SKPath> _junctions = [];
    private readonly List<(SKPath Path, float Width)> _internalLanes = [];
    private readonly List<(string Edge, SKPath Path, float Width)> _lanes = [];
    private readonly SKPaint _stroke = new() { Style = SKPaintStyle.Stroke, IsAntialias = true, StrokeCap = SKStrokeCap.Butt, StrokeJoin = SKStrokeJoin.Round };
    private readonly SKPaint _fill = new() { Style = SKPaintStyle.Fill, IsAntialias = true };

    public NetworkPainter(RoadNetwork network, NetworkProjection projection)
    {
        _projection = projection;
        foreach (var junction in network.Junctions)
        {
            if (junction.Shape.Count >= 3 && junction.Type != "internal")
            {
                var path = Polyline(junction.Shape);
                path.Close();
                _junctions.Add(path);
            }
        }
        foreach (var edge in network.Edges)
        {
            foreach (var lane in edge.Lanes)
            {
                if (lane.Shape.Count < 2)
                {
                    continue;
                }
                // Lanes a little narrower than they are, so the lanes of a road stay apart at a large scale.
                var width = (float)Math.Max(1.5, lane.Width * projection.PixelsPerMetre * 0.8);
                if (edge.IsInternal)
                {
                    _internalLanes.Add((Polyline(lane.Shape), width));
                }
                else
                {
                    _lanes.Add((edge.Id, Polyline(lane.Shape), width));
                }
            }
        }
    }

    /// <summary>Junctions and internal lanes in grey, then every normal lane in its edge's colour (0xRRGGBB).</summary>
    public void DrawRoads(SKCanvas canvas, Func<string, uint> colourOfEdge)
    {
        _fill.Color = Colour(JunctionColour);
        foreach (var junction in _junctions)
        {
            canvas.DrawPath(junction, _fill);
        }
        _stroke.Color = Colour(JunctionColour);
        foreach (var (path, width) in _internalLanes)
        {
            _stroke.StrokeWidth = width;
            canvas.DrawPath(path, _stroke);
        }
        foreach (var (edge, path, width) in _lanes)
        {
            _stroke.Color = Colour(colourOfEdge(edge));
            _stroke.StrokeWidth = width;
            canvas.DrawPath(path, _stroke);
        }
    }

    /// <summary>
    /// A vehicle at its front bumper (SUMO's position) heading at <paramref name="angle"/> degrees clockwise from north,
    /// drawn as long as it is (at least a few pixels, so it shows on a city-wide map).
    /// </summary>
    public void DrawVehicle(SKCanvas canvas, double x, double y, double angle, double length)
    {
        var (px, py) = _projection.ToPixel(new Point2(x, y));
        var pixelLength = (float)Math.Max(4, length * _projection.PixelsPerMetre);
        var pixelWidth = (float)Math.Max(2.5, 1.8 * _projection.PixelsPerMetre);
        _fill.Color = Colour(VehicleColour);
        canvas.Save();
        canvas.Translate((float)px, (float)py);
        canvas.RotateDegrees((float)angle);
        // Pointing up (north) before the rotation: the front at 0, the body behind it.
        canvas.DrawRect(-pixelWidth / 2, 0, pixelWidth, pixelLength, _fill);
        canvas.Restore();
    }

    /// <summary>The speed scale as a bar of its colours with its ends labelled.</summary>
    public static void DrawLegend(SKCanvas canvas, float left, float top, float width, SKFont font)
    {
        using var fill = new SKPaint { Style = SKPaintStyle.Fill };
        using var text = new SKPaint { Color = Colour(TextColour), IsAntialias = true };
        var colours = SpeedColors.All;
        var step = width / colours.Count;
        for (var i = 0; i < colours.Count; i++)
        {
            fill.Color = Colour(colours[i]);
            canvas.DrawRect(left + (i * step), top, step + 0.5f, 10, fill);
        }
        var below = top + 12 + font.Size;
        canvas.DrawText("stopped", left, below, SKTextAlign.Left, font, text);
        canvas.DrawText("speed / limit", left + (width / 2), below, SKTextAlign.Center, font, text);
        canvas.DrawText("at the limit", left + width, below, SKTextAlign.Right, font, text);
        fill.Color = Colour(SpeedColors.NoTraffic);
        canvas.DrawRect(left + width + 16, top, 18, 10, fill);
        canvas.DrawText("no traffic", left + width + 38, top + 10, SKTextAlign.Left, font, text);
    }

    public static SKColor Colour(uint rgb) => new((byte)(rgb >> 16), (byte)(rgb >> 8), (byte)rgb);

    public void Dispose()
    {
        foreach (var path in _junctions)
        {
            path.Dispose();
        }
        foreach (var (path, _) in _internalLanes)
        {
            path.Dispose();
        }
        foreach (var (_, path, _) in _lanes)
        {
            path.Dispose();
        }
        _stroke.Dispose();
        _fill.Dispose();
    }

    private SKPath Polyline(IReadOnlyList<Point2> points)
    {
        var path = new SKPath();
        for (var i = 0; i < points.Count; i++)
        {
            var (x, y) = _projection.ToPixel(points[i]);
            if (i == 0)
            {
                path.MoveTo((float)x, (float)y);
            }
            else
            {
                path.LineTo((float)x, (float)y);
            }
        }
        return path;
    }
}
