namespace Doppel.Packs.Health.Trials.Internal;

/// <summary>An aligned plain-text table (columns two spaces apart, numbers right-aligned), as the CLI prints its own.</summary>
internal static class TextTable
{
    public static void Write(TextWriter writer, IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        var numeric = header.Select((_, i) => rows.Count > 0 && rows.All(r => r[i].Length == 0 || char.IsDigit(r[i][0]) || r[i][0] is '-' or '+' or '∞')).ToArray();
        Line(writer, header, widths, numeric);
        foreach (var row in rows)
        {
            Line(writer, row, widths, numeric);
        }
    }

    private static void Line(TextWriter writer, IReadOnlyList<string> cells, int[] widths, bool[] numeric)
    {
        var parts = cells.Select((c, i) => numeric[i] ? c.PadLeft(widths[i]) : c.PadRight(widths[i]));
        writer.WriteLine(string.Join("  ", parts).TrimEnd());
    }
}
