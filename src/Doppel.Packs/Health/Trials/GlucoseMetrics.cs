using Doppel.Packs.Health.Glucose;

namespace Doppel.Packs.Health.Trials;

/// <summary>
/// The standard outcomes of a glucose trace (Battelino et al. 2019 consensus ranges; Kovatchev's risk indices as
/// simglucose computes them, from <see cref="GlucoseRisk"/>): shares of samples in and out of range in percent, the low and high BG indices, the risk
/// index, and the run's point and zone on the control-variability grid.
/// </summary>
public sealed record GlucoseMetrics
{
    /// <summary>The number of BG samples.</summary>
    public required int Samples { get; init; }

    /// <summary>Mean BG, mg/dL.</summary>
    public required double MeanGlucose { get; init; }

    /// <summary>Percent of samples with 70 ≤ BG ≤ 180 mg/dL.</summary>
    public required double TimeInRange { get; init; }

    /// <summary>Percent of samples with BG &lt; 70 mg/dL.</summary>
    public required double Below70 { get; init; }

    /// <summary>Percent of samples with BG &lt; 54 mg/dL.</summary>
    public required double Below54 { get; init; }

    /// <summary>Percent of samples with BG &gt; 180 mg/dL.</summary>
    public required double Above180 { get; init; }

    /// <summary>Percent of samples with BG &gt; 250 mg/dL.</summary>
    public required double Above250 { get; init; }

    /// <summary>Low blood glucose index: the mean low-side risk.</summary>
    public required double Lbgi { get; init; }

    /// <summary>High blood glucose index: the mean high-side risk.</summary>
    public required double Hbgi { get; init; }

    /// <summary>Risk index, LBGI + HBGI.</summary>
    public required double RiskIndex { get; init; }

    /// <summary>The 2.5th BG percentile as the control-variability grid draws it (clamped to [50, 110]).</summary>
    public required double CvgaMinimum { get; init; }

    /// <summary>The 97.5th BG percentile as the grid draws it (clamped to [110, 400]).</summary>
    public required double CvgaMaximum { get; init; }

    /// <summary>The zone of the grid the run falls in.</summary>
    public required CvgaZone Zone { get; init; }

    /// <summary>The metrics of a BG series in mg/dL, every sample weighing the same (a trace at a fixed sample time).</summary>
    public static GlucoseMetrics Of(ReadOnlySpan<double> bg)
    {
        if (bg.IsEmpty)
        {
            throw new ArgumentException("Glucose metrics need at least one BG value.", nameof(bg));
        }
        int inRange = 0, below70 = 0, below54 = 0, above180 = 0, above250 = 0;
        double sum = 0, low = 0, high = 0;
        foreach (var value in bg)
        {
            if (double.IsNaN(value))
            {
                throw new ArgumentException("A BG series for metrics has no missing (NaN) values.", nameof(bg));
            }
            sum += value;
            if (value < 70)
            {
                below70++;
                below54 += value < 54 ? 1 : 0;
            }
            else if (value <= 180)
            {
                inRange++;
            }
            else
            {
                above180++;
                above250 += value > 250 ? 1 : 0;
            }
            var (l, h, _) = GlucoseRisk.Of(value);
            low += l;
            high += h;
        }
        var n = bg.Length;
        var (minimum, maximum) = Cvga.Point(bg);
        return new GlucoseMetrics
        {
            Samples = n,
            MeanGlucose = sum / n,
            TimeInRange = 100.0 * inRange / n,
            Below70 = 100.0 * below70 / n,
            Below54 = 100.0 * below54 / n,
            Above180 = 100.0 * above180 / n,
            Above250 = 100.0 * above250 / n,
            Lbgi = low / n,
            Hbgi = high / n,
            RiskIndex = (low + high) / n,
            CvgaMinimum = minimum,
            CvgaMaximum = maximum,
            Zone = Cvga.Zone(minimum, maximum),
        };
    }
}
