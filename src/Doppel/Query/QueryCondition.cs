using System.Text.Json.Nodes;
using Doppel.Query.Internal;
using Doppel.Twins;

namespace Doppel.Query;

/// <summary>
/// The WHERE clause of an ADT query on its own (<c>T.temperature &gt; 50 AND IS_OF_MODEL('dtmi:example:Room;1')</c>),
/// parsed once and evaluated against one twin at a time, for filters of live streams and routes.
/// </summary>
/// <remarks>
/// The condition is read as <c>SELECT * FROM digitaltwins T WHERE &lt;condition&gt;</c>, so paths may name the alias
/// <c>T</c> or none. Models that <c>IS_OF_MODEL</c> covers are resolved on first use and kept. Safe for concurrent use.
/// </remarks>
public sealed class QueryCondition
{
    // The condition starts on line 2 of the wrapped query, so an error's position is the query's, one line up.
    private const string Prefix = "SELECT * FROM digitaltwins T WHERE\n";

    private readonly Evaluator _evaluator;
    private readonly Doc?[] _row = new Doc?[1];

    // The evaluator caches IS_OF_MODEL sets in a plain dictionary and events are filtered on many publisher threads.
    private readonly Lock _gate = new();

    private QueryCondition(string text, QueryPlan plan, IQuerySource models)
    {
        Text = text;
        _evaluator = new Evaluator(plan, models);
    }

    /// <summary>The condition as given.</summary>
    public string Text { get; }

    /// <summary>Parses a condition; errors are "SqlQueryError" with a message ending in "at line:column" of the condition text.</summary>
    /// <param name="text">The condition, without the WHERE keyword.</param>
    /// <param name="modelAndSubtypes">The model and its descendants, for <c>IS_OF_MODEL</c>.</param>
    /// <param name="limits">Length and operator limits; ADT's by default.</param>
    public static Result<QueryCondition> Parse(string text, Func<string, IReadOnlySet<string>> modelAndSubtypes, QueryLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(modelAndSubtypes);
        if (string.IsNullOrWhiteSpace(text))
        {
            return new QueryError(1, 1, "The condition is empty").ToDoppelError();
        }
        var query = Prefix + text;
        var (syntax, parseError) = Parser.Parse(query, limits ?? QueryLimits.Default);
        if (parseError is not null)
        {
            return Shift(parseError).ToDoppelError();
        }
        if (syntax!.OrderBy.Count > 0 || syntax.GroupBy.Count > 0)
        {
            var offset = syntax.OrderBy.Count > 0 ? syntax.OrderByOffset : syntax.GroupBy[0].Offset;
            return Shift(Parser.ErrorAt(query, offset, "a condition is a WHERE clause alone, without ORDER BY or GROUP BY")).ToDoppelError();
        }
        var (plan, planError) = QueryPlan.Create(query, syntax);
        if (planError is not null)
        {
            return Shift(planError).ToDoppelError();
        }
        return Result<QueryCondition>.Ok(new QueryCondition(text, plan!, new ModelsOnly(modelAndSubtypes)));
    }

    /// <summary>True when the condition is true for the twin (undefined counts as false, as in a query).</summary>
    public bool Matches(TwinDocument twin) => Evaluate(Doc.Of(twin));

    /// <summary>True when the condition is true for an ADT-shaped twin document, such as the body of a delete event.</summary>
    public bool Matches(JsonObject twin) => Evaluate(Doc.Of(twin));

    public override string ToString() => Text;

    private bool Evaluate(Doc doc)
    {
        lock (_gate)
        {
            _row[0] = doc;
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

    private static QueryError Shift(QueryError error) => error.Line > 1 ? error with { Line = error.Line - 1 } : error with { Line = 1, Column = 1 };

    /// <summary>A source with no twins: a condition only ever reads the twin it is given, and models for IS_OF_MODEL.</summary>
    private sealed class ModelsOnly(Func<string, IReadOnlySet<string>> modelAndSubtypes) : IQuerySource
    {
        public IEnumerable<JsonObject> TwinsAfter(string? afterDtId) => [];

        public IReadOnlySet<string> ModelAndSubtypes(string dtmi) => modelAndSubtypes(dtmi);
    }
}
