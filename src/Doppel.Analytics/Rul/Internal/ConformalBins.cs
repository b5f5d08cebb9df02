namespace Doppel.Analytics.Rul.Internal;

/// <summary>
/// Mondrian split-conformal intervals: validation residuals are grouped into bins of the predicted RUL, and each bin's
/// interval is [predicted + q_lo, predicted + q_hi] with finite-sample conformal quantiles at α/2 on each side. Bins
/// matter because the truth is uncapped while the model learns a capped target: near the cap the residuals reach far
/// above, at low RUL they are narrow.
/// Within a bin, the validation cuts are of two kinds, healthy (true RUL at or above the cap) and degrading (below),
/// and a test set may hold them in any mix (C-MAPSS test units are cut mostly while degrading, validation cuts at every
/// cycle are mostly healthy). Each bound is therefore the more conservative of the two kinds' quantiles, which keeps
/// each tail at most α/2 whatever the mix (of the kinds frequent enough in the bin to estimate a tail).
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
    public static ConformalBins Fit(IReadOnlyList<double> predicted, IReadOnlyList<double> truth, double cap, double coverage, int minimumPerBin = 200)
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
            var members = order[from..to];
            var degrading = members.Where(i => truth[i] < cap).Select(i => truth[i] - predicted[i]).Order().ToArray();
            var healthy = members.Where(i => truth[i] >= cap).Select(i => truth[i] - predicted[i]).Order().ToArray();
            (lower[b], upper[b]) = (double.MaxValue, double.MinValue);
            foreach (var residuals in new[] { degrading, healthy })
            {
                // A kind with fewer residuals than one tail needs (1/(α/2)) is too rare in the bin to bound; alone, it still counts.
                if (residuals.Length >= Math.Min(2 / alpha, members.Length))
                {
                    lower[b] = Math.Min(lower[b], Quantile(residuals, alpha / 2, upper: false));
                    upper[b] = Math.Max(upper[b], Quantile(residuals, 1 - alpha / 2, upper: true));
                }
            }
        }
        return new ConformalBins { Edges = edges, Lower = lower, Upper = upper };
    }

    /// <summary>The conformal rank ceil((m + 1)·level) of sorted residuals (floor on the lower side); beyond the sample, its extreme.</summary>
    private static double Quantile(double[] sorted, double level, bool upper)
    {
        var m = sorted.Length;
        var rank = upper ? (int)Math.Ceiling((m + 1) * level) - 1 : (int)Math.Floor((m + 1) * level) - 1;
        return sorted[Math.Clamp(rank, 0, m - 1)];
    }
}
