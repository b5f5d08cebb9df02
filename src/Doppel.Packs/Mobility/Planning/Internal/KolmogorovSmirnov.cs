namespace Doppel.Packs.Mobility.Planning.Internal;

/// <summary>The two-sample Kolmogorov–Smirnov test: the largest gap between the samples' distribution functions and its asymptotic p-value.</summary>
internal static class KolmogorovSmirnov
{
    public static (double Statistic, double PValue) Test(IReadOnlyList<double> first, IReadOnlyList<double> second)
    {
        if (first.Count == 0 || second.Count == 0)
        {
            return (double.NaN, double.NaN);
        }
        var a = first.Order().ToArray();
        var b = second.Order().ToArray();
        int i = 0, j = 0;
        var d = 0.0;
        while (i < a.Length && j < b.Length)
        {
            var x = Math.Min(a[i], b[j]);
            while (i < a.Length && a[i] <= x)
            {
                i++;
            }
            while (j < b.Length && b[j] <= x)
            {
                j++;
            }
            d = Math.Max(d, Math.Abs(((double)i / a.Length) - ((double)j / b.Length)));
        }
        var n = (double)a.Length * b.Length / (a.Length + b.Length);
        // Stephens' small-sample correction of the Kolmogorov distribution's argument.
        var lambda = (Math.Sqrt(n) + 0.12 + (0.11 / Math.Sqrt(n))) * d;
        return (d, QKs(lambda));
    }

    private static double QKs(double lambda)
    {
        if (lambda < 1e-3)
        {
            return 1;
        }
        var sum = 0.0;
        for (var k = 1; k <= 100; k++)
        {
            var term = 2 * (k % 2 == 1 ? 1 : -1) * Math.Exp(-2 * k * k * lambda * lambda);
            sum += term;
            if (Math.Abs(term) < 1e-12)
            {
                break;
            }
        }
        return Math.Clamp(sum, 0, 1);
    }
}
