using System.Globalization;
using System.IO.Compression;

namespace Doppel.Analytics.Rul;

/// <summary>
/// Reads the NASA C-MAPSS turbofan files (Saxena et al. 2008): train/test files (26 whitespace-separated columns:
/// unit, cycle, 3 operating settings, 21 sensors) into one <see cref="Trajectory"/> per unit with Doppel's channel
/// names, and RUL files (one true RUL per test unit).
/// </summary>
public static class CmapssData
{
    /// <summary>The operating settings: setting1..3.</summary>
    public static IReadOnlyList<string> Settings { get; } = ["altitude", "mach", "throttle"];

    /// <summary>The 21 sensors s1..s21, named as the turbofan twin's telemetry.</summary>
    public static IReadOnlyList<string> Sensors { get; } =
        ["t2", "t24", "t30", "t50", "p2", "p15", "p30", "nf", "nc", "epr", "ps30", "phi", "nrf", "nrc", "bpr", "farB", "htBleed", "nfDmd", "pcnfrDmd", "w31", "w32"];

    /// <summary>The 14 sensors the literature keeps for FD001 and FD003 (s2, 3, 4, 7, 8, 9, 11, 12, 13, 14, 15, 17, 20, 21).</summary>
    public static IReadOnlyList<string> InformativeSensors { get; } =
        ["t24", "t30", "t50", "p30", "nf", "nc", "ps30", "phi", "nrf", "nrc", "bpr", "htBleed", "w31", "w32"];

    /// <summary>The channels of every trajectory the reader returns: the cycle number, the settings, the sensors.</summary>
    public static IReadOnlyList<string> Channels { get; } = ["cycle", .. Settings, .. Sensors];

    private const int Columns = 26;

    /// <summary>Reads a train or test file; an error names the line, the column and why.</summary>
    public static Result<IReadOnlyList<Trajectory>> Read(TextReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var units = new List<Trajectory>();
        var seen = new HashSet<int>();
        var rows = new List<double[]>();
        int? unit = null;
        var lastCycle = 0;
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != Columns)
            {
                return Fail(source, lineNumber, Math.Min(fields.Length, Columns) + 1, $"expected {Columns} columns (unit, cycle, 3 settings, 21 sensors), found {fields.Length}");
            }
            if (!int.TryParse(fields[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) || id < 1)
            {
                return Fail(source, lineNumber, 1, $"the unit must be a positive integer, found '{fields[0]}'");
            }
            if (!int.TryParse(fields[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var cycle) || cycle < 1)
            {
                return Fail(source, lineNumber, 2, $"the cycle must be a positive integer, found '{fields[1]}'");
            }
            if (id != unit)
            {
                if (unit is { } previous)
                {
                    units.Add(new Trajectory(previous.ToString(CultureInfo.InvariantCulture), Channels, [.. rows]));
                    rows.Clear();
                }
                if (!seen.Add(id))
                {
                    return Fail(source, lineNumber, 1, $"unit {id} appears again after other units: a unit's rows must be contiguous");
                }
                unit = id;
                lastCycle = 0;
            }
            if (cycle <= lastCycle)
            {
                return Fail(source, lineNumber, 2, $"cycle {cycle} of unit {id} does not follow cycle {lastCycle}: cycles must increase");
            }
            lastCycle = cycle;
            var row = new double[Columns - 1];
            row[0] = cycle;
            for (var c = 2; c < Columns; c++)
            {
                if (!double.TryParse(fields[c], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
                {
                    return Fail(source, lineNumber, c + 1, $"{Channels[c - 1]} must be a finite number, found '{fields[c]}'");
                }
                row[c - 1] = value;
            }
            rows.Add(row);
        }
        if (unit is { } last)
        {
            units.Add(new Trajectory(last.ToString(CultureInfo.InvariantCulture), Channels, [.. rows]));
        }
        if (units.Count == 0)
        {
            return Result<IReadOnlyList<Trajectory>>.Fail("InvalidArgument", $"{source}: no rows: a C-MAPSS file has one line per unit and cycle");
        }
        return Result<IReadOnlyList<Trajectory>>.Ok(units);
    }

    /// <summary>Reads a RUL file: one non-negative number per line, in unit order.</summary>
    public static Result<IReadOnlyList<double>> ReadTruth(TextReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var truth = new List<double>();
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != 1)
            {
                return Result<IReadOnlyList<double>>.Fail("InvalidArgument", $"{source}, line {lineNumber}, column 2: expected one true RUL per line, found {fields.Length} values");
            }
            if (!double.TryParse(fields[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var rul) || !double.IsFinite(rul) || rul < 0)
            {
                return Result<IReadOnlyList<double>>.Fail("InvalidArgument", $"{source}, line {lineNumber}, column 1: the true RUL must be a non-negative number, found '{fields[0]}'");
            }
            truth.Add(rul);
        }
        if (truth.Count == 0)
        {
            return Result<IReadOnlyList<double>>.Fail("InvalidArgument", $"{source}: no rows: a RUL file has one true RUL per test unit");
        }
        return Result<IReadOnlyList<double>>.Ok(truth);
    }

    /// <summary>Reads a file from disk (gzipped when its name ends in .gz); a missing or unreadable file is an error naming it.</summary>
    public static Result<IReadOnlyList<Trajectory>> ReadFile(string path)
    {
        try
        {
            using var reader = Open(path);
            return Read(reader, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Result<IReadOnlyList<Trajectory>>.Fail("InvalidArgument", $"{path}: {e.Message}");
        }
    }

    /// <summary>Reads a RUL file from disk (gzipped when its name ends in .gz); a missing or unreadable file is an error naming it.</summary>
    public static Result<IReadOnlyList<double>> ReadTruthFile(string path)
    {
        try
        {
            using var reader = Open(path);
            return ReadTruth(reader, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Result<IReadOnlyList<double>>.Fail("InvalidArgument", $"{path}: {e.Message}");
        }
    }

    private static StreamReader Open(string path) =>
        path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
            ? new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress))
            : new StreamReader(path);

    private static Result<IReadOnlyList<Trajectory>> Fail(string source, int line, int column, string why) =>
        Result<IReadOnlyList<Trajectory>>.Fail("InvalidArgument", $"{source}, line {line}, column {column}: {why}");
}
