using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Doppel.Cli.Output;

/// <summary>
/// How values read in a table. Whole numbers print in full; numbers with a fraction are rounded to six significant
/// digits, never into their whole part (29.106899999999996 → 29.1069, 0.000123456789 → 0.000123457,
/// 1234567.891 → 1234568), in exponent form below 0.0001 and from 10^15 (1.5e-07, 1.23457e+15): measured values carry
/// noise beyond that, and a column of them stays readable. Times print in UTC with milliseconds
/// (2024-05-01T12:00:00.000Z). --json prints values exactly as the server sent them.
/// </summary>
internal static class CellText
{
    private const int SignificantDigits = 6;

    /// <summary>A JSON value as a cell: strings as they are, numbers as above, anything else as compact JSON.</summary>
    public static string Of(JsonNode? value) => value switch
    {
        null => "",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => (string)v!,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => Number(v),
        _ => value.ToJsonString(),
    };

    /// <summary>A time (an RFC 3339 string) in UTC with milliseconds; anything else as <see cref="Of"/> prints it.</summary>
    public static string Time(JsonNode? value) =>
        value is JsonValue v && v.TryGetValue<string>(out var text)
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var time)
            ? Time(time)
            : Of(value);

    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string Number(JsonValue value)
    {
        var text = value.ToJsonString();
        // An integer literal prints as written, however large.
        return text.AsSpan().IndexOfAny('.', 'e', 'E') < 0 ? text : Number(value.GetValue<double>());
    }

    public static string Number(double value) => Number(value, SignificantDigits);

    /// <summary>A number rounded to <paramref name="significantDigits"/> as above (an estimate to the digits its precision warrants).</summary>
    public static string Number(double value, int significantDigits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(significantDigits, 1);
        if (!double.IsFinite(value))
        {
            return value.ToString(CultureInfo.InvariantCulture);
        }
        if (value == 0)
        {
            return "0";
        }
        var magnitude = Math.Abs(value);
        if (magnitude >= 1e15 || magnitude < 1e-4)
        {
            return value.ToString((significantDigits == 1 ? "0" : "0." + new string('#', significantDigits - 1)) + "e+00", CultureInfo.InvariantCulture);
        }
        if (value == Math.Floor(value))
        {
            return value.ToString("0", CultureInfo.InvariantCulture);
        }
        // Decimals that leave six significant digits: the digits before the point count, and so do zeros after it.
        var exponent = (int)Math.Floor(Math.Log10(magnitude));
        var decimals = Math.Max(0, significantDigits - 1 - exponent);
        var fixedPoint = value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        if (fixedPoint.Contains('.', StringComparison.Ordinal))
        {
            fixedPoint = fixedPoint.TrimEnd('0').TrimEnd('.');
        }
        return fixedPoint is "-0" ? "0" : fixedPoint;
    }

    /// <summary>"1 row", "2 rows", "12,345 twins": a count with its noun in the right number.</summary>
    public static string Count(long count, string singular, string? plural = null) =>
        string.Create(CultureInfo.InvariantCulture, $"{count:N0} {(count == 1 ? singular : plural ?? Plural(singular))}");

    /// <summary>The regular English plural: policy, policies; key, keys.</summary>
    private static string Plural(string singular) =>
        singular.Length > 1 && singular[^1] == 'y' && "aeiou".IndexOf(singular[^2]) < 0 ? singular[..^1] + "ies" : singular + "s";
}
