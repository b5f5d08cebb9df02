using Doppel.Simulation.Experiments.Internal;

namespace Doppel.Simulation.Experiments;

/// <summary>
/// Student's t distribution: its CDF and quantiles (for any positive, also fractional, degrees of freedom;
/// <see cref="double.PositiveInfinity"/> gives the standard normal).
/// </summary>
public static class StudentT
{
    // Above this many degrees of freedom the Cornish–Fisher expansion is exact to double precision for
    // practical probabilities, and log-gamma differences of huge arguments would lose digits.
    private const double ExpansionDegreesOfFreedom = 1000;

    /// <summary>P(T ≤ <paramref name="t"/>) for <paramref name="degreesOfFreedom"/> degrees of freedom.</summary>
    public static double Cdf(double t, double degreesOfFreedom)
    {
        ValidateDegreesOfFreedom(degreesOfFreedom);
        if (double.IsNaN(t))
        {
            return double.NaN;
        }
        var tail = UpperTail(Math.Abs(t), degreesOfFreedom);
        return t >= 0 ? 1 - tail : tail;
    }

    /// <summary>The quantile: the t with P(T ≤ t) = <paramref name="probability"/>.</summary>
    public static double InverseCdf(double probability, double degreesOfFreedom)
    {
        ValidateDegreesOfFreedom(degreesOfFreedom);
        if (double.IsNaN(probability) || probability < 0 || probability > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "A probability is between 0 and 1.");
        }
        if (probability == 0.5)
        {
            return 0;
        }
        if (probability == 0 || probability == 1)
        {
            return probability == 0 ? double.NegativeInfinity : double.PositiveInfinity;
        }
        var upper = probability > 0.5;
        var tail = upper ? 1 - probability : probability;
        var t = UpperQuantile(tail, degreesOfFreedom);
        return upper ? t : -t;
    }

    /// <summary>The two-sided critical value for a confidence level: t with P(|T| ≤ t) = <paramref name="confidenceLevel"/>.</summary>
    public static double CriticalValue(double confidenceLevel, double degreesOfFreedom)
    {
        if (!(confidenceLevel > 0 && confidenceLevel < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(confidenceLevel), confidenceLevel, "A confidence level is between 0 and 1, exclusive.");
        }
        ValidateDegreesOfFreedom(degreesOfFreedom);
        return UpperQuantile((1 - confidenceLevel) / 2, degreesOfFreedom);
    }

    /// <summary>P(T &gt; t) for t ≥ 0.</summary>
    internal static double UpperTail(double t, double nu)
    {
        if (double.IsPositiveInfinity(nu))
        {
            return 0.5 * SpecialFunctions.UpperIncompleteGamma(0.5, t * t / 2);
        }
        var t2 = t * t;
        return 0.5 * SpecialFunctions.IncompleteBeta(nu / 2, 0.5, nu / (nu + t2), t2 / (nu + t2));
    }

    /// <summary>The density at t.</summary>
    internal static double Density(double t, double nu)
    {
        if (double.IsPositiveInfinity(nu))
        {
            return Math.Exp(-t * t / 2) / Math.Sqrt(2 * Math.PI);
        }
        var logNorm = SpecialFunctions.LogGamma((nu + 1) / 2) - SpecialFunctions.LogGamma(nu / 2) - (0.5 * Math.Log(nu * Math.PI));
        return Math.Exp(logNorm - ((nu + 1) / 2 * Math.Log(1 + (t * t / nu))));
    }

    /// <summary>The t ≥ 0 with P(T &gt; t) = tail, for 0 &lt; tail &lt; 0.5.</summary>
    internal static double UpperQuantile(double tail, double nu)
    {
        if (nu == 1)
        {
            return Math.Tan(Math.PI * (0.5 - tail));
        }
        if (nu == 2)
        {
            var p = 1 - tail;
            return ((2 * p) - 1) / Math.Sqrt(2 * p * tail);
        }
        if (nu > ExpansionDegreesOfFreedom && !double.IsPositiveInfinity(nu))
        {
            return CornishFisher(Solve(tail, double.PositiveInfinity), nu);
        }
        return Solve(tail, nu);
    }

    /// <summary>Abramowitz and Stegun 26.7.5: the t quantile from the normal quantile z, to terms in ν⁻⁴.</summary>
    internal static double CornishFisher(double z, double nu)
    {
        var z2 = z * z;
        var g1 = ((z2 + 1) * z) / 4;
        var g2 = ((((5 * z2) + 16) * z2) + 3) * z / 96;
        var g3 = ((((((3 * z2) + 19) * z2) + 17) * z2) - 15) * z / 384;
        var g4 = ((((((((79 * z2) + 776) * z2) + 1482) * z2) - 1920) * z2) - 945) * z / 92160;
        return z + ((g1 + ((g2 + ((g3 + (g4 / nu)) / nu)) / nu)) / nu);
    }

    /// <summary>Newton's method on the upper tail, kept inside a bracket by bisection so heavy tails cannot throw it off.</summary>
    private static double Solve(double tail, double nu)
    {
        double low = 0, high = 1;
        while (UpperTail(high, nu) > tail && high < double.MaxValue / 4)
        {
            low = high;
            high *= 2;
        }
        var t = (low + high) / 2;
        for (var i = 0; i < 200; i++)
        {
            var excess = UpperTail(t, nu) - tail;
            if (excess == 0)
            {
                return t;
            }
            if (excess > 0)
            {
                low = t;
            }
            else
            {
                high = t;
            }
            var next = t + (excess / Density(t, nu));
            if (!(next > low && next < high))
            {
                next = (low + high) / 2;
            }
            if (Math.Abs(next - t) <= 1e-15 * t || high - low <= 1e-15 * high)
            {
                return next;
            }
            t = next;
        }
        return t;
    }

    private static void ValidateDegreesOfFreedom(double degreesOfFreedom)
    {
        if (!(degreesOfFreedom > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(degreesOfFreedom), degreesOfFreedom, "Degrees of freedom are positive.");
        }
    }
}
