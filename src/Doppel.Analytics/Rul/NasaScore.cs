namespace Doppel.Analytics.Rul;

/// <summary>
/// The asymmetric scoring function of the PHM08 challenge (Saxena et al. 2008): late predictions (predicted RUL above
/// the truth) cost more than early ones, since they let a machine run into failure.
/// </summary>
public static class NasaScore
{
    /// <summary>The penalty for one unit: e^(−d/13) − 1 when d &lt; 0, e^(d/10) − 1 otherwise, with d = predicted − true.</summary>
    public static double Of(double predictedMinusTrue) =>
        predictedMinusTrue < 0 ? Math.Exp(-predictedMinusTrue / 13) - 1 : Math.Exp(predictedMinusTrue / 10) - 1;
}
