using Doppel.Simulation.Experiments;

namespace Doppel.Packs.Health.Trials;

/// <summary>
/// Wilcoxon's signed-rank test of paired differences against a zero median: zero differences dropped (Wilcoxon's
/// convention), tied magnitudes given their mean rank; the two-sided p-value exact (the distribution of W⁺ counted over
/// all sign assignments) when there are at most <see cref="ExactLimit"/> differences and no ties, otherwise from the
/// normal approximation with the tie and continuity corrections (as R's <c>wilcox.test</c>).
/// </summary>
public static class WilcoxonSignedRank
{
    /// <summary>Up to this many non-zero differences without ties, the p-value is exact.</summary>
    public const int ExactLimit = 50;

    /// <summary>The test of <paramref name="differences"/> (alternative − baseline per pair).</summary>
    public static WilcoxonResult Test(ReadOnlySpan<double> differences)
    {
        var nonZero = new List<double>(differences.Length);
        foreach (var d in differences)
        {
            if (double.IsNaN(d))
            {
                throw new ArgumentException("Paired differences have no missing (NaN) values.", nameof(differences));
            }
            if (d != 0)
            {
                nonZero.Add(d);
            }
        }
        var n = nonZero.Count;
        if (n == 0)
        {
            return new WilcoxonResult(0, 0, 1, Exact: true);
        }
        var order = Enumerable.Range(0, n).OrderBy(i => Math.Abs(nonZero[i])).ToArray();
        var ranks = new double[n];
        var ties = false;
        var tieCorrection = 0.0;
        for (var start = 0; start < n;)
        {
            var end = start;
            while (end + 1 < n && Math.Abs(nonZero[order[end + 1]]) == Math.Abs(nonZero[order[start]]))
            {
                end++;
            }
            var rank = (start + end + 2) / 2.0;
            for (var k = start; k <= end; k++)
            {
                ranks[order[k]] = rank;
            }
            var t = end - start + 1;
            if (t > 1)
            {
                ties = true;
                tieCorrection += (t * t * t) - t;
            }
            start = end + 1;
        }
        var wPlus = 0.0;
        for (var i = 0; i < n; i++)
        {
            wPlus += nonZero[i] > 0 ? ranks[i] : 0;
        }
        if (!ties && n <= ExactLimit)
        {
            return new WilcoxonResult(wPlus, n, ExactTwoSided((int)wPlus, n), Exact: true);
        }
        var mean = n * (n + 1) / 4.0;
        var variance = (n * (n + 1) * ((2 * n) + 1) / 24.0) - (tieCorrection / 48);
        var excess = wPlus - mean;
        var z = (excess - (Math.Sign(excess) * 0.5)) / Math.Sqrt(variance);
        var p = variance > 0 ? Math.Min(1, 2 * NormalUpperTail(Math.Abs(z))) : 1;
        return new WilcoxonResult(wPlus, n, p, Exact: false);
    }

    /// <summary>P(W⁺ as extreme as <paramref name="w"/>) both ways, from the counts of sign assignments by rank sum.</summary>
    private static double ExactTwoSided(int w, int n)
    {
        var max = n * (n + 1) / 2;
        var counts = new double[max + 1];
        counts[0] = 1;
        for (var rank = 1; rank <= n; rank++)
        {
            for (var s = max; s >= rank; s--)
            {
                counts[s] += counts[s - rank];
            }
        }
        var total = Math.Pow(2, n);
        var tail = Math.Min(w, max - w);   // the distribution is symmetric about max / 2
        var p = 0.0;
        for (var s = 0; s <= tail; s++)
        {
            p += counts[s];
        }
        return Math.Min(1, 2 * p / total);
    }

    // The standard normal is Student's t with infinitely many degrees of freedom.
    private static double NormalUpperTail(double z) => StudentT.Cdf(-z, double.PositiveInfinity);
}
