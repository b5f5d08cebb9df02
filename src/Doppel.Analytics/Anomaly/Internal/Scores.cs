namespace Doppel.Analytics.Anomaly.Internal;

/// <summary>Maps deviations to scores in [0, 1] and tail probabilities, shared by the detectors.</summary>
internal static class Scores
{
    /// <summary>
    /// A deviation of <paramref name="z"/> robust standard deviations as a score: 0 up to 3, then rising as a half
    /// Gaussian (4 → 0.39, 5 → 0.86, 6 → 0.99), so that a threshold of 0.9 means "beyond about 5 sigmas".
    /// </summary>
    public static double FromDeviations(double z)
    {
        var excess = Math.Abs(z) - 3;
        return excess <= 0 || double.IsNaN(excess) ? 0 : 1 - Math.Exp(-0.5 * excess * excess);
    }

    /// <summary>P(Z &gt; z) of the standard normal distribution.</summary>
    public static double NormalTail(double z) => 0.5 * Erfc(z / Math.Sqrt(2));

    /// <summary>The complementary error function (Numerical Recipes' Chebyshev fit, relative error below 1.2e-7).</summary>
    public static double Erfc(double x)
    {
        var z = Math.Abs(x);
        var t = 1 / (1 + 0.5 * z);
        var r = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
            + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }

    public static string Format(double value) => value.ToString("G4", System.Globalization.CultureInfo.InvariantCulture);
}
