namespace Doppel.Packs.Health.Glucose;

/// <summary>
/// One row of a simulation's history, as simglucose's <c>show_history()</c>: BG and CGM are means over the sub-steps
/// ending at <paramref name="Time"/> (the first row: the values at the start), CHO (g/min) and insulin (U/min) means over
/// the step that starts at <paramref name="Time"/> (null on the last row), and the risk of the row's BG.
/// </summary>
public readonly record struct GlucoseRow(DateTime Time, double Bg, double Cgm, double? Cho, double? Insulin, double Lbgi, double Hbgi, double Risk);
