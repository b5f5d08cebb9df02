using MathNet.Numerics;

namespace Doppel.Packs.Health.Glucose.Internal;

/// <summary>The standard normal truncated to [a, b]: its quantile, as scipy's <c>truncnorm._ppf</c> (which <c>rvs</c> applies to one uniform).</summary>
internal static class TruncatedNormal
{
    public static double Quantile(double q, double a, double b)
    {
        if (a < 0)
        {
            // Left of the mode: Φ⁻¹(Φ(a) + q (Φ(b) − Φ(a))).
            var low = Phi(a);
            return PhiInverse(low + q * (Phi(b) - low));
        }
        // Right: mirrored, so that the far tail keeps its precision.
        var high = Phi(-b);
        return -PhiInverse(high + (1 - q) * (Phi(-a) - high));
    }

    private static double Phi(double x) => 0.5 * SpecialFunctions.Erfc(-x / Math.Sqrt(2));

    private static double PhiInverse(double p) => -Math.Sqrt(2) * SpecialFunctions.ErfcInv(2 * p);
}
