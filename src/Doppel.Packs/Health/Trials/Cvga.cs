namespace Doppel.Packs.Health.Trials;

/// <summary>
/// Control-variability grid analysis (Magni et al. 2008): a run is the point (2.5th BG percentile, 97.5th BG
/// percentile), the minimum clamped to [50, 110] and the maximum to [110, 400] mg/dL as the grid is drawn, and its zone
/// is read off the grid's lines at 70 and 90 (minimum) and 180 and 300 (maximum). Boundaries fall as in simglucose's
/// <c>CVGA_analysis</c>: a minimum of exactly 90 or 70 counts on the lower side, a maximum of exactly 180 or 300 on the upper.
/// </summary>
public static class Cvga
{
    /// <summary>The lowest minimum the grid shows (points below it are drawn on its edge).</summary>
    public const double MinimumFloor = 50;

    /// <summary>The grid's corner: minima above it and maxima below it are drawn on it.</summary>
    public const double Corner = 110;

    /// <summary>The highest maximum the grid shows.</summary>
    public const double MaximumCeiling = 400;

    /// <summary>The grid point of a BG series: its 2.5th and 97.5th percentiles (linear interpolation, as numpy's default), clamped to the grid.</summary>
    public static (double Minimum, double Maximum) Point(ReadOnlySpan<double> bg)
    {
        if (bg.IsEmpty)
        {
            throw new ArgumentException("A CVGA point needs at least one BG value.", nameof(bg));
        }
        var sorted = bg.ToArray();
        Array.Sort(sorted);
        return (Math.Clamp(Percentile(sorted, 2.5), MinimumFloor, Corner), Math.Clamp(Percentile(sorted, 97.5), Corner, MaximumCeiling));
    }

    /// <summary>The zone of a grid point (minimum, maximum) in mg/dL.</summary>
    public static CvgaZone Zone(double minimum, double maximum)
    {
        // Rows by the maximum, columns by the minimum, as the grid is drawn.
        var row = maximum < 180 ? 0 : maximum < 300 ? 1 : 2;
        var column = minimum > 90 ? 0 : minimum > 70 ? 1 : 2;
        return (row, column) switch
        {
            (0, 0) => CvgaZone.A,
            (0, 1) => CvgaZone.LowerB,
            (0, _) => CvgaZone.LowerC,
            (1, 0) => CvgaZone.UpperB,
            (1, 1) => CvgaZone.B,
            (1, _) => CvgaZone.LowerD,
            (_, 0) => CvgaZone.UpperC,
            (_, 1) => CvgaZone.UpperD,
            _ => CvgaZone.E,
        };
    }

    /// <summary>The letter a zone counts under in the grid's summary (A to E): lower and upper B are B, and so on.</summary>
    public static char Letter(CvgaZone zone) => zone switch
    {
        CvgaZone.A => 'A',
        CvgaZone.LowerB or CvgaZone.UpperB or CvgaZone.B => 'B',
        CvgaZone.LowerC or CvgaZone.UpperC => 'C',
        CvgaZone.LowerD or CvgaZone.UpperD => 'D',
        _ => 'E',
    };

    /// <summary>The p-th percentile of sorted values by linear interpolation between closest ranks (numpy's default).</summary>
    internal static double Percentile(ReadOnlySpan<double> sorted, double p)
    {
        var position = p / 100 * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + ((position - below) * (sorted[above] - sorted[below]));
    }
}
