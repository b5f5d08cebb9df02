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
        var executor = new Executor(plan!, source, ct);
        if (plan!.Syntax.Select.Kind == SelectKind.Count)
        {
            var count = executor.Count();
            return Result<QueryPage>.Ok(new QueryPage([new JsonObject { ["COUNT"] = count }], null, Charge(executor.Scanned)));
        }
        var size = Math.Clamp(pageSize < 1 ? Limits.MaxPageSize : pageSize, 1, Limits.MaxPageSize);
        if (plan.Syntax.IsGrouped || plan.Syntax.Select.Distinct)
        {
            return Grouped(executor, plan, text, size, resume);
        }
        return plan.Syntax.OrderBy.Count > 0
            ? Sorted(executor, plan, text, size, resume)
            : Page(executor, plan, text, size, resume);
    }

    private static Result<QueryPage> Page(Executor executor, QueryPlan plan, string text, int pageSize, ContinuationToken? resume)
    {
        var returned = resume?.Returned ?? 0;
        var top = plan.Syntax.Select.Top;
        var limit = top is { } t ? Math.Min(pageSize, Math.Max(0, t - returned)) : pageSize;
        var rows = new List<JsonNode>(Math.Min(limit, 256));
        string? next = null;
        if (limit > 0)
        {
            // Rows emitted from the current anchor, counting those skipped on resume, so a page can end inside one anchor.
            string? anchor = resume?.AfterDtId;
            var inAnchor = resume?.Skip ?? 0;
            foreach (var (id, row) in executor.Rows(resume?.AfterDtId, resume?.Skip ?? 0))
            {
                if (rows.Count == limit)
                {
                    // One more matching row exists, so there is a next page.
                    var topReached = top is { } max && returned + rows.Count >= max;
                    if (!topReached)
                    {
                        next = (id == anchor
                            ? new ContinuationToken(text, anchor, returned + rows.Count, inAnchor)
                            : new ContinuationToken(text, anchor!, returned + rows.Count)).Encode();
                    }
                    break;
                }
                if (id != anchor)
                {
                    (anchor, inAnchor) = (id, 0);
                }
                inAnchor++;
                rows.Add(executor.Project(row));
            }
        }
        return Result<QueryPage>.Ok(new QueryPage(rows, next, Charge(executor.Scanned)));
    }

    // ORDER BY (beyond ADT): a bounded heap keeps the rows up to the end of this page plus one (to know whether another
    // page follows), or TOP rows when that is fewer; sort keys are read in place and only the page is projected. When the
    // order is one indexed property, rows arrive already sorted and the walk stops once the heap is full. Later pages
    // resume by position.
    private static Result<QueryPage> Sorted(Executor executor, QueryPlan plan, string text, int pageSize, ContinuationToken? resume)
    {
        var order = plan.Syntax.OrderBy;
        var top = plan.Syntax.Select.Top;
        var offset = resume?.Returned ?? 0;
        var keep = (int)Math.Min(top is { } t && t <= (long)offset + pageSize ? t : (long)offset + pageSize + 1, int.MaxValue);
        var sorter = new RowSorter(order, executor.Value, keep);
        if (order.Count == 1 && executor.OrderedRows(order[0], keep) is { } ordered)
        {
            foreach (var row in ordered)
            {
                sorter.Offer(row);
                if (sorter.IsFull)
                {
                    break;
                }
            }
        }
        else
        {
            foreach (var (_, row) in executor.Rows(null, 0))
            {
                sorter.Offer(row);
            }
        }
        var all = sorter.Sorted();
        var total = top is { } max ? Math.Min(max, all.Count) : all.Count;
        var end = Math.Min(total, offset + pageSize);
        var rows = new List<JsonNode>(Math.Max(0, end - offset));
        for (var i = offset; i < end; i++)
        {
            rows.Add(executor.Project(all[i]));
        }
        var next = end < total ? new ContinuationToken(text, "", end).Encode() : null;
        return Result<QueryPage>.Ok(new QueryPage(rows, next, Charge(executor.Scanned)));
    }

    // GROUP BY, aggregates, DISTINCT (beyond ADT): all groups are computed per page and the token carries the offset of
    // the next group, as ORDER BY pages do.
    private static Result<QueryPage> Grouped(Executor executor, QueryPlan plan, string text, int pageSize, ContinuationToken? resume)
    {
        var all = Grouping.Rows(executor, plan);
        var total = plan.Syntax.Select.Top is { } max ? Math.Min(max, all.Count) : all.Count;
        var offset = resume?.Returned ?? 0;
        var end = Math.Min(total, offset + pageSize);
        var rows = offset < end ? all.GetRange(offset, end - offset) : [];
        var next = end < total ? new ContinuationToken(text, "", end).Encode() : null;
        return Result<QueryPage>.Ok(new QueryPage(rows, next, Charge(executor.Scanned)));
    }

    /// <summary>Query units: one per request plus one per hundred units of work (candidates examined, relationships followed).</summary>
    private static double Charge(long scanned) => 1 + (scanned / 100.0);

    private static DoppelError InvalidToken(string problem) => new("BadRequest", $"Invalid continuation token: {problem}.");
}
