using System.Globalization;
using Doppel.Analytics.Rul;

namespace Doppel.Server.Analytics.Internal;

/// <summary>Run-to-failure trajectories from a data file: C-MAPSS text, or CSV with a <c>unit,cycle,&lt;channels&gt;</c> header.</summary>
internal static class TrainingData
{
    public static readonly IReadOnlyList<string> Formats = ["cmapss", "csv"];

    /// <summary>Reads a file's text in a format; errors name the source, the line and what is wrong.</summary>
    public static Result<IReadOnlyList<Trajectory>> Read(string format, string text, string source)
    {
        var read = format switch
        {
            "cmapss" => CmapssData.Read(new StringReader(text), source),
            "csv" => ReadCsv(text, source),
            _ => Result<IReadOnlyList<Trajectory>>.Fail("InvalidArgument", $"'{format}' is not a data format: use one of {string.Join(", ", Formats)}."),
        };
        if (read.IsSuccess && read.Value.Count == 0)
        {
            return Result<IReadOnlyList<Trajectory>>.Fail("InvalidArgument", $"{source} holds no rows.");
        }
        return read;
    }

    /// <summary>The format of a file by its name: .csv is CSV, anything else C-MAPSS text.</summary>
    public static string FormatOf(string fileName) => fileName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? "csv" : "cmapss";

    private static Result<IReadOnlyList<Trajectory>> ReadCsv(string text, string source)
    {
        using var reader = new StringReader(text);
        var header = reader.ReadLine();
        if (header is null)
        {
            return Fail(source, 1, "the file is empty; it needs a header unit,cycle,<channels>.");
        }
        var names = header.Split(',').Select(n => n.Trim()).ToArray();
        if (names.Length < 3 || names[0] != "unit" || names[1] != "cycle")
        {
            return Fail(source, 1, $"the header must be unit,cycle,<channels> (at least one channel), not '{header}'.");
        }
        // The cycle is a channel too, first, as the C-MAPSS reader gives it: a unit's age is an input.
        string[] channels = ["cycle", .. names[2..]];
        if (channels.Skip(1).Any(c => c.Length == 0 || c == "cycle") || channels.Distinct(StringComparer.Ordinal).Count() != channels.Length)
        {
            return Fail(source, 1, "the channel names must be non-empty and distinct.");
        }
        var units = new List<Trajectory>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var rows = new List<double[]>();
        string? unit = null;
        var lastCycle = double.NegativeInfinity;
        var number = 1;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            number++;
            if (line.Trim().Length == 0)
            {
                continue;
            }
            var cells = line.Split(',');
            if (cells.Length != names.Length)
            {
                return Fail(source, number, $"{cells.Length} values where the header names {names.Length}.");
            }
            var rowUnit = cells[0].Trim();
            if (!double.TryParse(cells[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var cycle))
            {
                return Fail(source, number, $"cycle '{cells[1].Trim()}' is not a number.");
            }
            if (rowUnit != unit)
            {
                if (unit is not null)
                {
                    units.Add(new Trajectory(unit, channels, [.. rows]));
                    rows.Clear();
                }
                if (!seen.Add(rowUnit))
                {
                    return Fail(source, number, $"unit '{rowUnit}' appears again after other units; a unit's rows must be together, in cycle order.");
                }
                unit = rowUnit;
                lastCycle = double.NegativeInfinity;
            }
            if (cycle <= lastCycle)
            {
                return Fail(source, number, $"cycle {cycle.ToString(CultureInfo.InvariantCulture)} of unit '{rowUnit}' does not follow cycle {lastCycle.ToString(CultureInfo.InvariantCulture)}; rows must be in cycle order.");
            }
            lastCycle = cycle;
            var row = new double[channels.Length];
            row[0] = cycle;
            for (var i = 1; i < channels.Length; i++)
            {
                if (!double.TryParse(cells[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out row[i]) || !double.IsFinite(row[i]))
                {
                    return Fail(source, number, $"'{cells[i + 1].Trim()}' in column {channels[i]} is not a finite number.");
                }
            }
            rows.Add(row);
        }
        if (unit is not null)
        {
            units.Add(new Trajectory(unit, channels, [.. rows]));
        }
        return Result<IReadOnlyList<Trajectory>>.Ok(units);
    }

    private static Result<IReadOnlyList<Trajectory>> Fail(string source, int line, string why) =>
        Result<IReadOnlyList<Trajectory>>.Fail("InvalidArgument", $"{source}, line {line}: {why}");
}
