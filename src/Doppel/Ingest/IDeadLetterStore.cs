namespace Doppel.Ingest;

/// <summary>Durable, queryable dead letters.</summary>
public interface IDeadLetterStore
{
    /// <summary>Stores dead letters; completes once they are durable.</summary>
    Task AppendDeadLettersAsync(IReadOnlyList<DeadLetter> letters, CancellationToken ct = default);

    /// <summary>Dead letters, newest first, filtered; <see cref="DeadLetterQuery.Before"/> resumes a previous page.</summary>
    Task<DeadLetterPage> ReadDeadLettersAsync(DeadLetterQuery query, CancellationToken ct = default);
}

/// <summary>Which dead letters to read: all filters optional; pages go from newest to oldest.</summary>
public sealed record DeadLetterQuery(string? Reason = null, string? Source = null, string? TwinId = null, DateTimeOffset? From = null, DateTimeOffset? To = null, int PageSize = 100, long? Before = null);

/// <summary>One page of dead letters with the sequence to resume before, and the total matching the filters.</summary>
public sealed record DeadLetterPage(IReadOnlyList<DeadLetter> Letters, long? Next, long Total);
