using Doppel.Packs.Mobility.Network;

namespace Doppel.Packs.Mobility.Views;

/// <summary>
/// Where a network point lands in a picture: the network's extent fitted into a box of pixels with the same scale on
/// both axes, north up (SUMO's y grows northwards, a picture's rows grow downwards).
/// </summary>
/// <param name="MinX">The network's west edge (metres).</param>
/// <param name="MaxY">The network's north edge (metres).</param>
/// <param name="PixelsPerMetre">The scale.</param>
/// <param name="Left">The pixel column of <paramref name="MinX"/>.</param>
/// <param name="Top">The pixel row of <paramref name="MaxY"/>.</param>
public sealed record NetworkProjection(double MinX, double MaxY, double PixelsPerMetre, double Left, double Top)
{
    /// <summary>The pixel (column, row) of a network point.</summary>
    public (double X, double Y) ToPixel(Point2 point) => (Left + ((point.X - MinX) * PixelsPerMetre), Top + ((MaxY - point.Y) * PixelsPerMetre));

    /// <summary>Fits every lane and junction of <paramref name="network"/> into the box, centred, <paramref name="margin"/> pixels inside it.</summary>
    public static NetworkProjection Fit(RoadNetwork network, double left, double top, double width, double height, double margin)
    {
        ArgumentNullException.ThrowIfNull(network);
        var points = network.Edges.SelectMany(e => e.Lanes).SelectMany(l => l.Shape).Concat(network.Junctions.Select(j => j.Position)).ToList();
        if (points.Count == 0)
        {
            return new NetworkProjection(0, 0, 1, left + (width / 2), top + (height / 2));
        }
        var minX = points.Min(p => p.X);
        var maxX = points.Max(p => p.X);
        var minY = points.Min(p => p.Y);
        var maxY = points.Max(p => p.Y);
        var innerWidth = Math.Max(1, width - (2 * margin));
        var innerHeight = Math.Max(1, height - (2 * margin));
        // A network of one point (or one straight line) still gets a finite scale.
        var scale = Math.Min(innerWidth / Math.Max(maxX - minX, 1), innerHeight / Math.Max(maxY - minY, 1));
        var usedWidth = (maxX - minX) * scale;
        var usedHeight = (maxY - minY) * scale;
        return new NetworkProjection(minX, maxY, scale, left + margin + ((innerWidth - usedWidth) / 2), top + margin + ((innerHeight - usedHeight) / 2));
    }
}
