namespace Doppel.Packs.Health.Glucose;

/// <summary>
/// The blood glucose risk of one reading (Kovatchev et al. 1997's symmetrisation, as simglucose's <c>risk</c>):
/// f = 1.509 (ln(BG)^1.084 − 5.381), risk = 10 f², low risk when f &lt; 0, high risk when f &gt; 0; BG ≤ 20 gives (100, 0, 100)
/// and BG ≥ 600 gives (0, 100, 100).
/// </summary>
public static class GlucoseRisk
{
    /// <summary>LBGI, HBGI and risk of a reading (mg/dL).</summary>
    public static (double Lbgi, double Hbgi, double Risk) Of(double bg)
    {
        if (bg <= 20.0)
        {
            return (100.0, 0.0, 100.0);
        }
        if (bg >= 600.0)
        {
            return (0.0, 100.0, 100.0);
        }
        var f = 1.509 * (Math.Pow(Math.Log(bg), 1.084) - 5.381);
        var risk = 10 * f * f;
        return (f <= 0 ? risk : 0.0, f >= 0 ? risk : 0.0, risk);
    }

    /// <summary>Mean LBGI, HBGI and risk over readings, as simglucose's <c>risk_index(BG, len(BG))</c>.</summary>
    public static (double Lbgi, double Hbgi, double Risk) Index(IReadOnlyList<double> bg)
    {
        ArgumentNullException.ThrowIfNull(bg);
        if (bg.Count == 0)
        {
            return (double.NaN, double.NaN, double.NaN);
        }
        double low = 0, high = 0, risk = 0;
        foreach (var value in bg)
        {
            var r = Of(value);
            low += r.Lbgi;
            high += r.Hbgi;
            risk += r.Risk;
        }
        return (low / bg.Count, high / bg.Count, risk / bg.Count);
    }
}
