namespace Doppel.Packs.Mobility.Validation;

/// <summary>The two-sample Kolmogorov–Smirnov test: the largest gap between two empirical distributions and how likely a gap that large is when both samples come from one distribution.</summary>
public sealed record KolmogorovSmirnov(double Statistic, double PValue, int SizeA, int SizeB)
{
    /// <summary>Whether the samples are compatible at level <paramref name="alpha"/> (the test does not reject).</summary>
    public bool Passes(double alpha) => PValue >= alpha;

    /// <summary>
    /// Tests two samples. The p-value is Kolmogorov's limiting distribution at the effective size n·m/(n+m) with
    /// Stephens' small-sample correction (λ = (√nₑ + 0.12 + 0.11/√nₑ)·D; Numerical Recipes' <c>kstwo</c>), accurate for
    /// the hundreds to tens of thousands of trips compared here. Ties are handled by stepping both distributions at once.
    /// </summary>
    public static KolmogorovSmirnov Test(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count == 0 || b.Count == 0)
        {
            return new KolmogorovSmirnov(double.NaN, double.NaN, a.Count, b.Count);
        }
        var x = a.Order().ToArray();
        var y = b.Order().ToArray();
        int i = 0, j = 0;
        var d = 0.0;
        while (i < x.Length && j < y.Length)
        {
            var value = Math.Min(x[i], y[j]);
            while (i < x.Length && x[i] <= value)
            {
                i++;
            }
            while (j < y.Length && y[j] <= value)
            {
                j++;
            }
            d = Math.Max(d, Math.Abs(((double)i / x.Length) - ((double)j / y.Length)));
        }
        var effective = Math.Sqrt((double)x.Length * y.Length / (x.Length + y.Length));
        var lambda = (effective + 0.12 + (0.11 / effective)) * d;
        return new KolmogorovSmirnov(d, LimitingTail(lambda), x.Length, y.Length);
    }

    /// <summary>Q(λ) = 2 Σ (-1)^(k-1) exp(-2 k² λ²), the probability that Kolmogorov's statistic exceeds λ.</summary>
    public static double LimitingTail(double lambda)
    {
        if (lambda < 0.2)
        {
            return 1; // the series converges slowly here, and its value is 1 to 1e-9
        }
        var sum = 0.0;
        var sign = 1.0;
        for (var k = 1; k <= 100; k++)
        {
            var term = sign * Math.Exp(-2 * k * k * lambda * lambda);
            sum += term;
            if (Math.Abs(term) < 1e-12 * Math.Abs(sum))
            {
                break;
            }
            sign = -sign;
        }
        return Math.Clamp(2 * sum, 0, 1);
    }
}
