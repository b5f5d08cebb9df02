namespace Doppel.Analytics.Rul.Internal;

/// <summary>
/// Mondrian split-conformal intervals: validation residuals (true − predicted, true uncapped) are grouped into bins of
/// the predicted RUL, and each bin's interval is [predicted + q_lo, predicted + q_hi] with the finite-sample conformal
/// quantiles of its residuals. Bins matter because the truth is uncapped while the model learns a capped target: near
/// the cap the residuals reach far above, at low RUL they are narrow.
/// </summary>
internal sealed class ConformalBins
{
    /// <summary>Upper edges of the bins on the predicted RUL (the last bin is open).</summary>
    public required double[] Edges { get; init; }
    public required double[] Lower { get; init; }
    public required double[] Upper { get; init; }

    public RulEstimate Interval(double predicted)
    {
        var bin = 0;
        while (bin < Edges.Length && predicted > Edges[bin])
        {
            bin++;
        }
        return new RulEstimate(predicted, Math.Max(0, predicted + Lower[bin]), Math.Max(0, predicted + Upper[bin]));
    }

    /// <summary>Bins of equal count by predicted RUL (each holding at least <paramref name="minimumPerBin"/> residuals, fewer make quantiles unstable), at most five.</summary>
    public static ConformalBins Fit(IReadOnlyList<double> predicted, IReadOnlyList<double> truth, double coverage, int minimumPerBin = 60)
    {
        var n = predicted.Count;
        var bins = Math.Clamp(n / minimumPerBin, 1, 5);
        var order = Enumerable.Range(0, n).OrderBy(i => predicted[i]).ToArray();
        var edges = new double[bins - 1];
        var lower = new double[bins];
        var upper = new double[bins];
        var alpha = 1 - coverage;
        for (var b = 0; b < bins; b++)
        {
            var from = b * n / bins;
            var to = (b + 1) * n / bins;
            if (b < bins - 1)
            {
                edges[b] = (predicted[order[to - 1]] + predicted[order[to]]) / 2;
            }
            var residuals = order[from..to].Select(i => truth[i] - predicted[i]).Order().ToArray();
            var m = residuals.Length;
            // The conformal rank ceil((m + 1)(1 − α/2)) on each side; beyond the sample the bound is its extreme.
            var high = (int)Math.Ceiling((m + 1) * (1 - alpha / 2)) - 1;
            var low = (int)Math.Floor((m + 1) * (alpha / 2)) - 1;
            upper[b] = residuals[Math.Min(m - 1, high)];
            lower[b] = residuals[Math.Max(0, low)];
        }
        return new ConformalBins { Edges = edges, Lower = lower, Upper = upper };
    }
}
