using System.Globalization;

namespace Doppel.Simulation.Experiments;

/// <summary>
/// An experiment's results as a table, one row per scenario: its parameters, its replication count, and per KPI the
/// mean, confidence half-width and standard deviation (columns <c>kpi</c>, <c>kpi.halfWidth</c>, <c>kpi.stdDev</c>).
/// </summary>
/// <param name="Columns">The column names.</param>
/// <param name="Scenarios">The scenario name of each row.</param>
/// <param name="Rows">The values of each row, one per column; NaN where a scenario lacks a parameter or KPI.</param>
public sealed record ResultTable(IReadOnlyList<string> Columns, IReadOnlyList<string> Scenarios, IReadOnlyList<IReadOnlyList<double>> Rows)
{
    /// <summary>Writes the table as CSV (invariant culture, round-trippable numbers) with a leading <c>scenario</c> column.</summary>
    public void WriteCsv(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write("scenario");
        foreach (var column in Columns)
        {
            writer.Write(',');
            writer.Write(Quote(column));
        }
        writer.WriteLine();
        for (var r = 0; r < Rows.Count; r++)
        {
            writer.Write(Quote(Scenarios[r]));
            foreach (var value in Rows[r])
            {
                writer.Write(',');
                writer.Write(value.ToString("R", CultureInfo.InvariantCulture));
            }
            writer.WriteLine();
        }
    }

    private static string Quote(string text) =>
        text.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : text;
}
