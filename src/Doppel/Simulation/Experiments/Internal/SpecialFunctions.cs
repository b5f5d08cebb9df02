namespace Doppel.Simulation.Experiments.Internal;

/// <summary>Log-gamma and the regularized incomplete beta and gamma functions, enough for Student t and normal tails.</summary>
internal static class SpecialFunctions
{
    private const double Epsilon = 1e-16;
    private const double Tiny = 1e-300;
    private const int MaxIterations = 10_000;

    // Lanczos approximation, g = 7, n = 9 (about 15 significant digits).
    private static readonly double[] Lanczos =
    [
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
        12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
    ];

    /// <summary>ln Γ(x) for x &gt; 0.</summary>
    public static double LogGamma(double x)
    {
        if (x < 0.5)
        {
            // Reflection keeps the Lanczos series in the range where it is accurate.
            return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * x))) - LogGamma(1 - x);
        }
        x -= 1;
        var sum = Lanczos[0];
        for (var i = 1; i < Lanczos.Length; i++)
        {
            sum += Lanczos[i] / (x + i);
        }
        var t = x + 7.5;
        return (0.5 * Math.Log(2 * Math.PI)) + ((x + 0.5) * Math.Log(t)) - t + Math.Log(sum);
    }

    /// <summary>
    /// I_x(a, b), the regularized incomplete beta function; <paramref name="y"/> is 1 − x, passed separately so that
    /// callers who know it exactly do not lose digits when x is close to 1.
    /// </summary>
    public static double IncompleteBeta(double a, double b, double x, double y)
    {
        if (x <= 0)
        {
            return 0;
        }
        if (y <= 0)
        {
            return 1;
        }
        var front = Math.Exp(LogGamma(a + b) - LogGamma(a) - LogGamma(b) + (a * Math.Log(x)) + (b * Math.Log(y)));
        // The continued fraction converges fast only on this side of the mean; use the symmetry on the other.
        return x < (a + 1) / (a + b + 2)
            ? front * BetaContinuedFraction(a, b, x) / a
            : 1 - (front * BetaContinuedFraction(b, a, y) / b);
    }

    /// <summary>Q(a, x) = Γ(a, x) / Γ(a), the upper regularized incomplete gamma function.</summary>
    public static double UpperIncompleteGamma(double a, double x)
    {
        if (x <= 0)
        {
            return 1;
        }
        var front = Math.Exp(-x + (a * Math.Log(x)) - LogGamma(a));
        if (x < a + 1)
        {
            // Series for the lower function.
            var term = 1 / a;
            var sum = term;
            for (var n = 1; n < MaxIterations; n++)
            {
                term *= x / (a + n);
                sum += term;
                if (Math.Abs(term) < Math.Abs(sum) * Epsilon)
                {
                    break;
                }
            }
            return 1 - (sum * front);
        }
        // Continued fraction for the upper function (modified Lentz).
        var bb = x + 1 - a;
        var c = 1 / Tiny;
        var d = 1 / bb;
        var h = d;
        for (var i = 1; i < MaxIterations; i++)
        {
            var an = -i * (i - a);
            bb += 2;
            d = NotTiny((an * d) + bb);
            c = NotTiny(bb + (an / c));
            d = 1 / d;
            var delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < Epsilon)
            {
                break;
            }
        }
        return front * h;
    }

    private static double BetaContinuedFraction(double a, double b, double x)
    {
        var qab = a + b;
        var qap = a + 1;
        var qam = a - 1;
        var c = 1.0;
        var d = 1 / NotTiny(1 - (qab * x / qap));
        var h = d;
        for (var m = 1; m < MaxIterations; m++)
        {
            var m2 = 2 * m;
            var aa = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1 / NotTiny(1 + (aa * d));
            c = NotTiny(1 + (aa / c));
            h *= d * c;
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1 / NotTiny(1 + (aa * d));
            c = NotTiny(1 + (aa / c));
            var delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < Epsilon)
            {
                break;
            }
        }
        return h;
    }

    private static double NotTiny(double value) => Math.Abs(value) < Tiny ? Tiny : value;
}
