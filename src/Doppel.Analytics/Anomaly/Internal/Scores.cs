namespace Doppel.Analytics.Anomaly.Internal;

/// <summary>Maps deviations to scores in [0, 1] and tail probabilities, shared by the detectors.</summary>
internal static class Scores
{
    /// <summary>
    /// A deviation of <paramref name="z"/> robust standard deviations as a score: 0 up to 3 sigmas, then
    /// (z-3)²/((z-3)² + 4): 5 sigmas → 0.5, 9 → 0.9, 23 → 0.99.
    /// </summary>
    public static double FromDeviations(double z)
    {
        var excess = Math.Abs(z) - 3;
        if (excess <= 0 || double.IsNaN(excess))
        {
            return 0;
        }
        // Never saturates (a threshold sweep can still tell 20 sigmas from 40), and 0.5 is 5 sigmas, 0.9 is 9.
        return excess * excess / (excess * excess + 4);
    }

    /// <summary>Scores from which a detector explains itself (below, a reason is not worth its formatting cost).</summary>
    public const double Explained = 0.5;

    public static string Format(double value) => value.ToString("G4", System.Globalization.CultureInfo.InvariantCulture);
}
