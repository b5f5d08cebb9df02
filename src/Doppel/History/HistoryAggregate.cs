namespace Doppel.History;

/// <summary>The aggregates history computes per bucket, over the numeric values of the points in it.</summary>
public enum HistoryAggregate
{
    Avg,
    Min,
    Max,
    Sum,
    Count,
    First,
    Last,
    StdDev,
}

/// <summary>Names of <see cref="HistoryAggregate"/> as the API and CLI spell them.</summary>
public static class HistoryAggregates
{
    public static readonly IReadOnlyList<HistoryAggregate> All = Enum.GetValues<HistoryAggregate>();

    public static string Name(HistoryAggregate aggregate) => aggregate.ToString().ToLowerInvariant();

    /// <summary>Parses a comma-separated list such as <c>avg,max,stddev</c>; empty means all.</summary>
    public static Result<IReadOnlyList<HistoryAggregate>> Parse(string? list)
    {
        if (string.IsNullOrWhiteSpace(list))
        {
            return Result<IReadOnlyList<HistoryAggregate>>.Ok(All);
        }
        var parsed = new List<HistoryAggregate>();
        foreach (var part in list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!Enum.TryParse<HistoryAggregate>(part, ignoreCase: true, out var aggregate) || !Enum.IsDefined(aggregate) || char.IsDigit(part[0]))
            {
                return Result<IReadOnlyList<HistoryAggregate>>.Fail("InvalidArgument",
                    $"Unknown aggregate '{part}'; use any of {string.Join(", ", All.Select(Name))}.");
            }
            if (!parsed.Contains(aggregate))
            {
                parsed.Add(aggregate);
            }
        }
        return Result<IReadOnlyList<HistoryAggregate>>.Ok(parsed);
    }
}
