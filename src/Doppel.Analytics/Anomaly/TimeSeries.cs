using System.Globalization;

namespace Doppel.Analytics.Anomaly;

/// <summary>
/// A <c>timestamp,value</c> series as read from a file, rows in file order (timestamps may repeat or go back), with
/// the original text of each timestamp and value so that results can repeat them unchanged.
/// </summary>
public sealed record TimeSeries(IReadOnlyList<DateTime> Timestamps, IReadOnlyList<double> Values, IReadOnlyList<string> TimestampTexts, IReadOnlyList<string> ValueTexts)
{
    public int Count => Timestamps.Count;

    /// <summary>
    /// Reads CSV with a header row naming a <c>timestamp</c> column and <paramref name="valueColumn"/> (other columns
    /// are ignored). A malformed row is an error naming its line and what is wrong.
    /// </summary>
    /// <param name="reader">The text.</param>
    /// <param name="source">The file name, for messages.</param>
    /// <param name="valueColumn">The column holding the values.</param>
    public static Result<TimeSeries> Read(TextReader reader, string source, string valueColumn = "value")
    {
        ArgumentNullException.ThrowIfNull(reader);
        var header = reader.ReadLine();
        if (header is null)
        {
            return Fail(source, 1, $"the file is empty; expected a header row 'timestamp,{valueColumn}'");
        }
        var names = Split(header.TrimStart('\uFEFF'));
        var timeIndex = Array.FindIndex(names, n => n.Trim().Equals("timestamp", StringComparison.OrdinalIgnoreCase));
        var valueIndex = Array.FindIndex(names, n => n.Trim().Equals(valueColumn, StringComparison.OrdinalIgnoreCase));
        if (timeIndex < 0 || valueIndex < 0)
        {
            return Fail(source, 1, $"the header '{header}' has no '{(timeIndex < 0 ? "timestamp" : valueColumn)}' column; expected 'timestamp,{valueColumn}'");
        }
        var timestamps = new List<DateTime>();
        var values = new List<double>();
        var timeTexts = new List<string>();
        var valueTexts = new List<string>();
        var line = 1;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (text.Length == 0)
            {
                continue;
            }
            var fields = Split(text);
            if (fields.Length != names.Length)
            {
                return Fail(source, line, $"{fields.Length} fields where the header has {names.Length}");
            }
            var timeText = fields[timeIndex].Trim();
            if (!TryParseTime(timeText, out var time))
            {
                return Fail(source, line, $"'{timeText}' is not a timestamp (expected e.g. 2014-04-01 00:00:00 or 2014-04-01T00:00:00Z)");
            }
            var valueText = fields[valueIndex].Trim();
            if (!double.TryParse(valueText, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            {
                return Fail(source, line, $"'{valueText}' is not a finite number");
            }
            timestamps.Add(time);
            values.Add(value);
            timeTexts.Add(timeText);
            valueTexts.Add(valueText);
        }
        return Result<TimeSeries>.Ok(new TimeSeries(timestamps, values, timeTexts, valueTexts));
    }

    /// <summary>Reads a file, gzip-compressed when its name ends in <c>.gz</c>.</summary>
    public static Result<TimeSeries> ReadFile(string path, string valueColumn = "value")
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            return Result<TimeSeries>.Fail("NotFound", $"{path}: no such file.");
        }
        using var stream = File.OpenRead(path);
        using var decompressed = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
            ? new System.IO.Compression.GZipStream(stream, System.IO.Compression.CompressionMode.Decompress) : (Stream)stream;
        using var reader = new StreamReader(decompressed);
        return Read(reader, path, valueColumn);
    }

    /// <summary>NAB's <c>yyyy-MM-dd HH:mm:ss[.ffffff]</c>, or ISO 8601 (an offset is converted to UTC).</summary>
    public static bool TryParseTime(string text, out DateTime time)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (DateTime.TryParseExact(text, NabFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out time))
        {
            return true;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var offset))
        {
            time = offset.UtcDateTime;
            return true;
        }
        return false;
    }

    private static readonly string[] NabFormats = ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.ffffff", "yyyy-MM-dd HH:mm"];

    private static string[] Split(string line)
    {
        var fields = line.Split(',');
        for (var i = 0; i < fields.Length; i++)
        {
            var f = fields[i];
            if (f.Length >= 2 && f[0] == '"' && f[^1] == '"')
            {
                fields[i] = f[1..^1];
            }
        }
        return fields;
    }

    private static Result<TimeSeries> Fail(string source, int line, string why) =>
        Result<TimeSeries>.Fail("InvalidCsv", $"{source}, line {line}: {why}.");
}
