using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Doppel.Cli.Input;

/// <summary>
/// Times on the command line: RFC 3339 (2024-05-01T12:00:00Z, with an offset or Z), a date (2024-05-01, midnight UTC),
/// <c>now</c>, or an offset from now: <c>-1h</c>, <c>-15m</c>, <c>now-2d</c>, <c>now+1h</c>, <c>-1h30m</c> (units
/// s, m, h, d, w). One parser for every command, with one error message.
/// </summary>
internal static partial class TimeInput
{
    public const string Forms = "RFC 3339 (2024-05-01T12:00:00Z), a date (2024-05-01), 'now', or an offset from now such as -1h, -15m, now-2d";

    private static readonly string[] Rfc3339 =
    [
        "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd HH:mm:ssK", "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
    ];

    /// <summary>The instant <paramref name="text"/> names, relative forms counted from <paramref name="now"/>.</summary>
    public static Result<DateTimeOffset> Parse(string text, DateTimeOffset now)
    {
        var value = text.Trim();
        if (value.Equals("now", StringComparison.OrdinalIgnoreCase))
        {
            return Result<DateTimeOffset>.Ok(now);
        }
        if (Relative().Match(value) is { Success: true } relative)
        {
            var offset = TimeSpan.Zero;
            foreach (Capture part in relative.Groups["part"].Captures)
            {
                var unit = char.ToLowerInvariant(part.Value[^1]);
                if (!long.TryParse(part.Value.AsSpan(0, part.Value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count > 1_000_000)
                {
                    return Fail(text, "the offset is too large");
                }
                offset += unit switch
                {
                    's' => TimeSpan.FromSeconds(count),
                    'm' => TimeSpan.FromMinutes(count),
                    'h' => TimeSpan.FromHours(count),
                    'd' => TimeSpan.FromDays(count),
                    _ => TimeSpan.FromDays(7 * count),
                };
            }
            try
            {
                return Result<DateTimeOffset>.Ok(relative.Groups["sign"].Value == "-" ? now - offset : now + offset);
            }
            catch (ArgumentOutOfRangeException)
            {
                return Fail(text, "it falls outside the calendar");
            }
        }
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return Result<DateTimeOffset>.Ok(new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
        }
        // RFC 3339 allows a lower-case t and z.
        var upper = value.Replace('t', 'T').Replace('z', 'Z');
        if (DateTimeOffset.TryParseExact(upper, Rfc3339, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            if (!HasOffset().IsMatch(upper))
            {
                return Fail(text, "a time needs Z or an offset such as +02:00, so that it names one instant");
            }
            return Result<DateTimeOffset>.Ok(time);
        }
        return Fail(text, null);
    }

    /// <summary>An option whose value is a time in any of the <see cref="Forms"/>; a bad value is a usage error at parse time.</summary>
    public static Option<DateTimeOffset?> Option(string name, string description) => new(name)
    {
        Description = $"{description} {Hint}",
        HelpName = "time",
        CustomParser = result => Convert(result, name),
    };

    /// <summary>An argument whose value is a time in any of the <see cref="Forms"/>.</summary>
    public static Argument<DateTimeOffset> Argument(string name, string description) => new(name)
    {
        Description = $"{description} {Hint}",
        CustomParser = result => Convert(result, name) ?? default,
    };

    /// <summary>The time as the server takes it: RFC 3339 in UTC.</summary>
    public static string? Format(DateTimeOffset? time) => time?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    private const string Hint = "RFC 3339, a date, 'now', or an offset such as -1h, -15m, now-2d.";

    private static DateTimeOffset? Convert(ArgumentResult result, string name)
    {
        if (result.Tokens.Count == 0)
        {
            return null;
        }
        var parsed = Parse(result.Tokens[0].Value, TimeProvider.System.GetUtcNow());
        if (!parsed.IsSuccess)
        {
            result.AddError($"{name}: {parsed.Error.Message}");
            return null;
        }
        return parsed.Value;
    }

    private static Result<DateTimeOffset> Fail(string text, string? why) =>
        Result<DateTimeOffset>.Fail("InvalidArgument", why is null ? $"'{text}' is not a time; use {Forms}." : $"'{text}' is not a time: {why}.");

    [GeneratedRegex(@"^(?:now)?(?<sign>[+-])(?<part>\d+[smhdw])+$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Relative();

    [GeneratedRegex(@"(Z|[+-]\d\d:\d\d)$")]
    private static partial Regex HasOffset();
}
