using System.Globalization;

namespace Doppel.Server.Api;

/// <summary>The query-string filters of Doppel's list endpoints (audit log, alerts): known names only, text and times.</summary>
internal static class ListFilters
{
    /// <summary>
    /// An error for the first parameter that is neither paging nor one of <paramref name="filters"/>, naming the filter
    /// it resembles; null when all are known.
    /// </summary>
    public static DoppelError? Unknown(HttpRequest request, IReadOnlyList<string> filters)
    {
        foreach (var (key, _) in request.Query)
        {
            if (key.Equals("api-version", StringComparison.OrdinalIgnoreCase) || key.Equals(Paging.TokenParameter, StringComparison.OrdinalIgnoreCase)
                || filters.Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }
            var nearest = NearestName.Find(key, filters);
            return new DoppelError("InvalidArgument", $"Unknown query parameter '{key}'" + (nearest is null ? $"; the filters are {string.Join(", ", filters)}." : $"; did you mean '{nearest}'?"));
        }
        return null;
    }

    /// <summary>A filter's text, or null when absent or empty.</summary>
    public static string? Text(HttpRequest request, string name) => request.Query[name].ToString() is { Length: > 0 } value ? value : null;

    /// <summary>A filter's RFC 3339 time, or null when absent.</summary>
    public static Result<DateTimeOffset?> Time(HttpRequest request, string name)
    {
        if (Text(request, name) is not { } text)
        {
            return Result<DateTimeOffset?>.Ok(null);
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? Result<DateTimeOffset?>.Ok(time)
            : Result<DateTimeOffset?>.Fail("InvalidArgument", $"'{name}' must be an RFC 3339 date-time such as 2026-05-01T12:00:00Z, got '{text}'.");
    }
}
