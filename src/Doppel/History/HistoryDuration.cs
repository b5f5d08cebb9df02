using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;

namespace Doppel.History;

/// <summary>Durations for buckets and retention: <c>90s</c>, <c>15m</c>, <c>1h</c>, <c>7d</c>, <c>500ms</c>, or ISO 8601 (<c>PT1H</c>, <c>P7D</c>).</summary>
public static partial class HistoryDuration
{
    public static Result<TimeSpan> Parse(string? text, string what)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Result<TimeSpan>.Fail("InvalidArgument", $"{what} is required (e.g. 15m, 1h, 7d or PT1H).");
        }
        TimeSpan value;
        var m = Short().Match(text.Trim());
        if (m.Success)
        {
            var n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            value = m.Groups[2].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(n),
                "s" => TimeSpan.FromSeconds(n),
                "m" => TimeSpan.FromMinutes(n),
                "h" => TimeSpan.FromHours(n),
                "d" => TimeSpan.FromDays(n),
                _ => TimeSpan.FromDays(7 * n),
            };
        }
        else
        {
            try
            {
                value = XmlConvert.ToTimeSpan(text.Trim());
            }
            catch (FormatException)
            {
                return Result<TimeSpan>.Fail("InvalidArgument", $"{what} '{text}' is not a duration; write e.g. 15m, 1h, 7d or PT1H.");
            }
        }
        return value < TimeSpan.FromMilliseconds(1)
            ? Result<TimeSpan>.Fail("InvalidArgument", $"{what} '{text}' must be at least 1ms.")
            : Result<TimeSpan>.Ok(value);
    }

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$")]
    private static partial Regex Short();
}
