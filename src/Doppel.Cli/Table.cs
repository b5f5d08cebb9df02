namespace Doppel.Cli;

/// <summary>Prints rows as an aligned plain-text table.</summary>
internal static class Table
{
    public static void Print(IReadOnlyList<string> header, IEnumerable<string[]> rows)
    {
        var all = rows.ToList();
        var widths = header.Select((h, i) => Math.Min(60, all.Select(r => r[i].Length).Append(h.Length).Max())).ToArray();
        Console.WriteLine(string.Join("  ", header.Select((h, i) => h.PadRight(widths[i]))).TrimEnd());
        Console.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in all)
        {
            Console.WriteLine(string.Join("  ", row.Select((c, i) => (c.Length > widths[i] ? c[..(widths[i] - 1)] + "…" : c).PadRight(widths[i]))).TrimEnd());
        }
        Console.WriteLine($"({all.Count} rows)");
    }
}
