using System.Text.Json.Nodes;
using Doppel.Query.Internal;

namespace Doppel.Query;

/// <summary>Parses and runs ADT queries against an <see cref="IQuerySource"/>, one page at a time.</summary>
/// <remarks>
/// Pages resume strictly after the last <c>$dtId</c> scanned, so twins that exist unchanged through the whole paging
/// session are returned exactly once even while other twins are created or deleted.
/// </remarks>
public sealed class QueryEngine(QueryLimits? limits = null)
{
    // Cancellation is checked every this many twins scanned.
    private const int CancellationStride = 64;

    /// <summary>The limits this engine enforces.</summary>
    public QueryLimits Limits { get; } = limits ?? QueryLimits.Default;

    /// <summary>Parses a query; errors are "SqlQueryError" with a message ending in "at line:column".</summary>
    public Result<ParsedQuery> Parse(string text)
    {
        var (syntax, error) = Parser.Parse(text, Limits);
        return error is null ? Result<ParsedQuery>.Ok(new ParsedQuery(text, syntax!)) : error.ToDoppelError();
    }

    /// <summary>
    /// Runs one page of a query. <paramref name="text"/> may be null when <paramref name="continuationToken"/> is given,
    /// since ADT clients send only the token for later pages; if both are given they must agree.
    /// A <paramref name="pageSize"/> below 1 or above <see cref="QueryLimits.MaxPageSize"/> means the maximum.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled, e.g. by the query timeout.</exception>
    public Result<QueryPage> Execute(string? text, IQuerySource source, int pageSize, string? continuationToken, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ct.ThrowIfCancellationRequested();
        ContinuationToken? resume = null;
        if (continuationToken is not null)
        {
            var (token, problem) = ContinuationToken.Decode(continuationToken);
            if (token is null)
            {
                return InvalidToken(problem!);
            }
            if (!string.IsNullOrWhiteSpace(text) && !string.Equals(text, token.Query, StringComparison.Ordinal))
            {
                return InvalidToken("it was issued for a different query");
            }
            resume = token;
            text = token.Query;
        }
        if (string.IsNullOrWhiteSpace(text))
        {
            return Result<QueryPage>.Fail(QueryError.Code, "The query text is empty at 1:1");
        }
        var (syntax, parseError) = Parser.Parse(text, Limits);
        if (parseError is not null)
        {
            return parseError.ToDoppelError();
        }
        var (plan, planError) = QueryPlan.Create(text, syntax!);
        if (planError is not null)
        {
            return planError.ToDoppelError();
        }
        if (resume is not null && plan!.Syntax.Select.Kind == SelectKind.Count)
        {
            return InvalidToken("COUNT() queries have a single page");
        }
        var evaluator = new Evaluator(plan!, source);
        return plan!.Syntax.Select.Kind == SelectKind.Count
            ? Count(evaluator, source, ct)
            : Page(evaluator, plan, text, source, Math.Clamp(pageSize < 1 ? Limits.MaxPageSize : pageSize, 1, Limits.MaxPageSize), resume, ct);
    }

    private static Result<QueryPage> Count(Evaluator evaluator, IQuerySource source, CancellationToken ct)
    {
        long count = 0, scanned = 0;
        foreach (var twin in source.TwinsAfter(null))
        {
            if (++scanned % CancellationStride == 0)
            {
                ct.ThrowIfCancellationRequested();
            }
            if (evaluator.Matches(twin))
            {
                count++;
            }
        }
        return Result<QueryPage>.Ok(new QueryPage([new JsonObject { ["COUNT"] = count }], null, Charge(scanned)));
    }

    private static Result<QueryPage> Page(Evaluator evaluator, QueryPlan plan, string text, IQuerySource source, int pageSize, ContinuationToken? resume, CancellationToken ct)
    {
        var returned = resume?.Returned ?? 0;
        var top = plan.Syntax.Select.Top;
        var limit = top is { } t ? Math.Min(pageSize, Math.Max(0, t - returned)) : pageSize;
        var rows = new List<JsonNode>(Math.Min(limit, 256));
        long scanned = 0;
        string? next = null;
        if (limit > 0)
        {
            string? last = null;
            using var twins = source.TwinsAfter(resume?.AfterDtId).GetEnumerator();
            while (rows.Count < limit && twins.MoveNext())
            {
                if (++scanned % CancellationStride == 0)
                {
                    ct.ThrowIfCancellationRequested();
                }
                var twin = twins.Current;
                last = DtId(twin);
                if (evaluator.Matches(twin))
                {
                    rows.Add(evaluator.Project(twin));
                }
            }
            var topReached = top is { } max && returned + rows.Count >= max;
            // A full page only promises more when the source has another twin; the next page may still come back empty.
            if (rows.Count == limit && !topReached && twins.MoveNext())
            {
                next = new ContinuationToken(text, last!, returned + rows.Count).Encode();
            }
        }
        return Result<QueryPage>.Ok(new QueryPage(rows, next, Charge(scanned)));
    }

    private static string DtId(JsonObject twin) =>
        twin["$dtId"] is JsonValue id && id.TryGetValue<string>(out var value)
            ? value
            : throw new InvalidOperationException("The query source returned a twin without a string $dtId.");

    /// <summary>Query units: one per request plus one per hundred twins scanned.</summary>
    private static double Charge(long scanned) => 1 + (scanned / 100.0);

    private static DoppelError InvalidToken(string problem) => new("BadRequest", $"Invalid continuation token: {problem}.");
}
