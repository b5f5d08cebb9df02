using System.Text.Json.Nodes;
using Doppel.Query;
using Doppel.Query.Internal;
using Doppel.Twins;

namespace Doppel.Rules.Internal;

/// <summary>
/// A rule's scope query (<c>SELECT * FROM DIGITALTWINS T WHERE ...</c>) as a test of one twin: the query is run once
/// over every twin when the rule is put, and then only against each twin that changes.
/// </summary>
internal sealed class ScopeQuery
{
    private readonly Evaluator _evaluator;
    private readonly Doc?[] _row = new Doc?[1];
    private readonly Lock _gate = new();

    private ScopeQuery(QueryPlan plan, Func<string, IReadOnlySet<string>> models) => _evaluator = new Evaluator(plan, new Models(models));

    public static Result<ScopeQuery> Parse(string text, Func<string, IReadOnlySet<string>> models)
    {
        var (syntax, error) = Parser.Parse(text, QueryLimits.Default);
        if (error is null && (syntax!.From.Collection != CollectionKind.DigitalTwins || syntax.From.Joins.Count > 0 || syntax.From.Match is not null))
        {
            error = Parser.ErrorAt(text, syntax.From.Offset, "a scope selects twins: SELECT * FROM DIGITALTWINS T WHERE ..., without JOIN or MATCH (compare related twins in the condition)");
        }
        if (error is null && (syntax!.OrderBy.Count > 0 || syntax.GroupBy.Count > 0 || syntax.Select.Kind == SelectKind.Count || syntax.Select.Top is not null))
        {
            error = Parser.ErrorAt(text, syntax.Select.Offset, "a scope selects twins with SELECT * (or SELECT T) and a WHERE clause; TOP, COUNT, ORDER BY and GROUP BY do not apply");
        }
        QueryPlan? plan = null;
        if (error is null)
        {
            (plan, error) = QueryPlan.Create(text, syntax!);
        }
        return error is not null
            ? Result<ScopeQuery>.Fail("RuleInvalid", $"scope.query: line {error.Line}, column {error.Column}: {error.Message}")
            : Result<ScopeQuery>.Ok(new ScopeQuery(plan!, models));
    }

    public bool Covers(TwinDocument twin)
    {
        lock (_gate)
        {
            _row[0] = Doc.Of(twin);
            try
            {
                return _evaluator.Matches(_row);
            }
            finally
            {
                _row[0] = null;
            }
        }
    }

    private sealed class Models(Func<string, IReadOnlySet<string>> models) : IQuerySource
    {
        public IEnumerable<JsonObject> TwinsAfter(string? afterDtId) => [];

        public IReadOnlySet<string> ModelAndSubtypes(string dtmi) => models(dtmi);
    }
}
