using Doppel.Cli.Output;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Doppel.Cli;

/// <summary>
/// Prints rows as an aligned table (Spectre.Console) followed by their count. On a terminal, a table wider than the
/// window has its widest columns narrowed, their long cells ending in "…", unless <c>wide</c>; written to a file or a
/// pipe it is never shortened and carries no styles, so its text is the same on every machine.
/// </summary>
internal static class Table
{
    /// <summary>Spaces between columns.</summary>
    private const int Gap = 2;

    /// <summary>A column is not narrowed below this many characters (or its header, if shorter).</summary>
    private const int MinimumWidth = 6;

    /// <summary>Wide enough that Spectre.Console never wraps or cuts what is already fitted.</summary>
    private const int Unlimited = 1 << 20;

    public static void Print(IReadOnlyList<string> header, IEnumerable<string[]> rows, bool wide = false, string noun = "row")
    {
        var all = rows.Select(r => r.Select(OneLine).ToArray()).ToList();
        if (!wide && Terminal.OutputWidth is { } width && Fit(header, all, width) is { } widths)
        {
            all = [.. all.Select(r => r.Select((cell, i) => Shorten(cell, widths[i])).ToArray())];
        }
        var table = new Spectre.Console.Table { Border = TableBorder.None, ShowHeaders = true };
        var bold = Terminal.StylesOutput ? new Style(decoration: Decoration.Bold) : Style.Plain;
        for (var i = 0; i < header.Count; i++)
        {
            // The last column has no padding, so lines end at their text.
            table.AddColumn(new TableColumn(new Text(header[i], bold)) { NoWrap = true, Padding = new Padding(0, 0, i == header.Count - 1 ? 0 : Gap, 0) });
        }
        foreach (var row in all)
        {
            table.AddRow(row.Select(cell => (IRenderable)new Text(cell)));
        }
        Write(table);
        Console.WriteLine($"({CellText.Count(all.Count, noun)})");
    }

    /// <summary>
    /// Column widths that fit <paramref name="width"/>: the widest column is narrowed first, one character at a time, so
    /// short columns (ids, numbers) stay whole. Null when the table already fits, or cannot fit at the minimum widths.
    /// </summary>
    internal static int[]? Fit(IReadOnlyList<string> header, IReadOnlyList<string[]> rows, int width)
    {
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        var available = width - (Gap * (widths.Length - 1)) - 1;
        if (widths.Sum() <= available)
        {
            return null;
        }
        var minimum = header.Select((h, i) => Math.Min(widths[i], Math.Max(MinimumWidth, Math.Min(h.Length, 12)))).ToArray();
        if (minimum.Sum() > available)
        {
            return null;
        }
        var excess = widths.Sum() - available;
        while (excess > 0)
        {
            var widest = Array.IndexOf(widths, widths.Where((w, i) => w > minimum[i]).Max());
            widths[widest]--;
            excess--;
        }
        return widths;
    }

    private static string Shorten(string cell, int width) => cell.Length <= width ? cell : cell[..(width - 1)] + "…";

    /// <summary>Renders without a width limit and writes the lines without their trailing spaces.</summary>
    private static void Write(IRenderable table)
    {
        using var text = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(text),
            Ansi = Terminal.StylesOutput ? AnsiSupport.Yes : AnsiSupport.No,
            ColorSystem = Terminal.StylesOutput ? ColorSystemSupport.Standard : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = Unlimited;
        console.Write(table);
        foreach (var line in text.ToString().Split('\n'))
        {
            if (line.TrimEnd() is { Length: > 0 } kept)
            {
                Console.WriteLine(kept);
            }
        }
    }

    /// <summary>A cell stays on its row: line breaks inside a value print as the escapes a JSON string would use.</summary>
    private static string OneLine(string cell) =>
        cell.AsSpan().IndexOfAny('\n', '\r') < 0 ? cell : cell.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
