using System.Globalization;
using Doppel.Simulation.Experiments;

namespace Doppel.Packs.Health.Trials.Internal;

/// <summary>A trial's result as text: an arm table per cohort and scenario, the comparisons with the baseline, the control target.</summary>
internal static class TrialTables
{
    private static readonly GlucoseMetric[] Compared = [GlucoseMetric.TimeInRange, GlucoseMetric.Below70, GlucoseMetric.Below54, GlucoseMetric.RiskIndex];

    public static void Write(TextWriter writer, GlucoseTrialResult result, ControlTarget target)
    {
        var design = result.Design;
        writer.WriteLine($"Trial: {string.Join(", ", design.Cohorts.Select(c => $"{c.Name} ({c.Patients.Count})"))} × {string.Join(", ", design.Scenarios.Select(s => s.Name))} × {string.Join(", ", design.Controllers.Select(c => c.Name))}; "
            + $"{design.Duration.TotalDays.ToString("0.##", CultureInfo.InvariantCulture)} day(s), {design.Replications} replication(s), seed {design.Seed}, {design.Sensor}, {design.Pump}; "
            + $"means ± {design.ConfidenceLevel * 100:0}% half-widths over patients.");
        foreach (var cohort in design.Cohorts)
        {
            foreach (var scenario in design.Scenarios)
            {
                writer.WriteLine();
                writer.WriteLine($"{cohort.Name}, {scenario.Name} meals:");
                var header = new List<string> { "controller" };
                header.AddRange(GlucoseMetric.All.Select(m => m.Label));
                header.AddRange(["CVGA A/B/C/D/E %", "target"]);
                var rows = new List<IReadOnlyList<string>>();
                foreach (var controller in design.Controllers)
                {
                    var arm = result.Arm(cohort.Name, scenario.Name, controller.Name);
                    var row = new List<string> { controller.Name };
                    row.AddRange(GlucoseMetric.All.Select(m => Interval(arm[m])));
                    row.Add(string.Join("/", "ABCDE".Select(l => arm.Cvga[l].ToString("0", CultureInfo.InvariantCulture))));
                    row.Add(target.IsMetBy(arm) ? "met" : "missed");
                    rows.Add(row);
                }
                TextTable.Write(writer, header, rows);
            }
        }
        if (result.Comparisons.Count == 0)
        {
            return;
        }
        writer.WriteLine();
        writer.WriteLine($"Against {result.Baseline} (paired over the same patients, meals and sensor noise): difference [{design.ConfidenceLevel * 100:0}% CI], Wilcoxon signed-rank p:");
        var compareHeader = new List<string> { "cohort", "scenario", "controller" };
        compareHeader.AddRange(Compared.Select(m => "Δ " + m.Label));
        compareHeader.AddRange(Compared.Select(m => "p " + m.Key));
        var compareRows = new List<IReadOnlyList<string>>();
        foreach (var group in result.Comparisons.GroupBy(c => (c.Cohort, c.Scenario, c.Difference.Alternative)))
        {
            var row = new List<string> { group.Key.Cohort, group.Key.Scenario, group.Key.Alternative };
            var byMetric = group.ToDictionary(c => c.Metric, StringComparer.Ordinal);
            row.AddRange(Compared.Select(m => Difference(byMetric[m.Key].Difference)));
            row.AddRange(Compared.Select(m => P(byMetric[m.Key].Wilcoxon)));
            compareRows.Add(row);
        }
        TextTable.Write(writer, compareHeader, compareRows);
        writer.WriteLine();
        writer.WriteLine($"Control target ({target}), by cohort mean:");
        foreach (var controller in design.Controllers)
        {
            var verdicts = result.Arms.Where(a => a.Controller == controller.Name).Select(a => $"{a.Cohort} {(target.IsMetBy(a) ? "met" : "missed")}");
            writer.WriteLine($"  {controller.Name}: {string.Join(", ", verdicts)}");
        }
    }

    public static string Interval(KpiSummary summary) => double.IsInfinity(summary.HalfWidth) || double.IsNaN(summary.HalfWidth)
        ? Number(summary.Mean)
        : $"{Number(summary.Mean)} ± {Number(summary.HalfWidth)}";

    private static string Difference(Comparison c) => double.IsFinite(c.HalfWidth)
        ? $"{Signed(c.Difference)} [{Signed(c.Lower)}, {Signed(c.Upper)}]"
        : Signed(c.Difference);

    private static string P(WilcoxonResult w) => w.Pairs == 0 ? "-" : w.PValue < 0.001 ? "<0.001" : w.PValue.ToString("0.000", CultureInfo.InvariantCulture);

    private static string Number(double value) => Math.Abs(value) >= 100 ? value.ToString("0", CultureInfo.InvariantCulture) : value.ToString("0.0#", CultureInfo.InvariantCulture);

    private static string Signed(double value) => (value >= 0 ? "+" : "") + Number(value);
}
