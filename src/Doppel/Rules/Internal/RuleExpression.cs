using System.Text;
using System.Text.Json.Nodes;
using Doppel.History;
using Doppel.Query;
using Doppel.Query.Internal;
using Doppel.Twins;

namespace Doppel.Rules.Internal;

/// <summary>
/// A rule's condition (or clear condition): an expression of the query language on the twin <c>T</c> (its properties,
/// with its newest telemetry values beside them), the rule functions (<see cref="RuleFunction"/>), and optional leading
/// <c>JOIN X RELATED T.relationship</c> clauses followed by <c>WHERE</c>, which compare the twin with related twins.
/// Parsed by the query engine's own parser and evaluated by its evaluator.
/// </summary>
internal sealed class RuleExpression
{
    // Both forms put the condition's first character on line 2, column 1 of the wrapped query.
    private const string WherePrefix = "SELECT * FROM digitaltwins T WHERE\n";
    private const string JoinPrefix = "SELECT T FROM digitaltwins T\n";

    private readonly QueryPlan _plan;
    // The evaluator caches model sets in a plain dictionary; one per thread, so twins are evaluated in parallel.
    private readonly ThreadLocal<Evaluator> _evaluator;
    private readonly PathExpr? _valuePath;

    private RuleExpression(string text, QueryPlan plan, Func<string, IReadOnlySet<string>> models, IReadOnlyList<RuleFunction> functions, IReadOnlySet<string> reads, PathExpr? valuePath)
    {
        Text = text;
        _plan = plan;
        var source = new ModelsOnly(models);
        _evaluator = new ThreadLocal<Evaluator>(() => new Evaluator(plan, source));
        Functions = functions;
        Reads = reads;
        _valuePath = valuePath;
        Joins = plan.Syntax.From.Joins;
    }

    public string Text { get; }

    /// <summary>The rule functions it calls.</summary>
    public IReadOnlyList<RuleFunction> Functions { get; }

    /// <summary>Names it reads on the twin: property and telemetry names, and <c>component.name</c> for a component's.</summary>
    public IReadOnlySet<string> Reads { get; }

    /// <summary>Its JOIN clauses: related twins it compares with.</summary>
    public IReadOnlyList<JoinClause> Joins { get; }

    /// <summary>Parses a condition; an error names <paramref name="field"/> and the line and column in the condition's text.</summary>
    public static Result<RuleExpression> Parse(string? text, string field, Func<string, IReadOnlySet<string>> models, QueryLimits? limits = null)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Fail(field, 1, 1, "the condition is empty");
        }
        List<Token> tokens;
        try
        {
            tokens = Lexer.Tokenize(text);
        }
        catch (QuerySyntaxException e)
        {
            var (line, column) = SourceText.Position(text, e.Offset);
            return Fail(field, line, column, e.Message);
        }
        var functions = new List<RuleFunction>();
        var rewritten = new StringBuilder(text);
        for (var i = 0; i + 1 < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.Kind != TokenKind.Identifier || token.Escaped || tokens[i + 1].Kind != TokenKind.LParen || (i > 0 && tokens[i - 1].Kind == TokenKind.Dot)
                || RuleFunction.KindOf(token.Value) is not { } kind)
            {
                continue;
            }
            var call = ReadCall(text, tokens, i, kind, "__f" + functions.Count);
            if (!call.IsSuccess)
            {
                return Result<RuleExpression>.Fail(new DoppelError("RuleInvalid", $"{field}: {call.Error.Message}"));
            }
            var (function, end) = call.Value;
            functions.Add(function);
            // The call becomes a name of the same length (newlines kept), so every position after it is unchanged; an
            // absence is a truth value, and the grammar wants a comparison for one.
            var replacement = kind == RuleFunctionKind.Absent ? function.Slot + " = true" : function.Slot;
            if (replacement.Length > tokens[end].End - token.Start)
            {
                return Fail(field, 1, 1, "a condition calls at most 100 rule functions");
            }
            for (var c = token.Start; c < tokens[end].End; c++)
            {
                var offset = c - token.Start;
                rewritten[c] = offset < replacement.Length ? replacement[offset] : text[c] is '\n' or '\r' ? text[c] : ' ';
            }
            i = end;
        }
        var startsWithJoin = tokens[0].Is(Keyword.Join);
        var query = (startsWithJoin ? JoinPrefix : WherePrefix) + rewritten;
        var (syntax, parseError) = Parser.Parse(query, limits ?? QueryLimits.Default);
        if (parseError is not null)
        {
            return Shifted(field, parseError);
        }
        if (syntax!.OrderBy.Count > 0 || syntax.GroupBy.Count > 0)
        {
            var offset = syntax.OrderBy.Count > 0 ? syntax.OrderByOffset : syntax.GroupBy[0].Offset;
            return Shifted(field, Parser.ErrorAt(query, offset, "a condition is an expression alone, without ORDER BY or GROUP BY"));
        }
        if (syntax.From.Match is not null)
        {
            return Shifted(field, Parser.ErrorAt(query, syntax.From.Match.Offset, "a condition compares related twins with JOIN X RELATED T.relationship, not MATCH"));
        }
        if (syntax.Where is null)
        {
            return Fail(field, 1, 1, "the condition has no expression: write JOIN ... WHERE <expression>");
        }
        var (plan, planError) = QueryPlan.Create(query, syntax);
        if (planError is not null)
        {
            return Shifted(field, planError);
        }
        var reads = new HashSet<string>(StringComparer.Ordinal);
        PathExpr? valuePath = null;
        Walk(syntax.Where, plan!, reads, ref valuePath, functions);
        foreach (var function in functions)
        {
            reads.Remove(function.Slot);
            if (function.Name is { } name)
            {
                reads.Add(name);
            }
        }
        return Result<RuleExpression>.Ok(new RuleExpression(text, plan!, models, functions, reads, valuePath));
    }

    /// <summary>Whether the condition holds for the twin's observed document (undefined counts as not holding) and the value that decided it.</summary>
    /// <param name="twin">The twin's document as the rule sees it.</param>
    /// <param name="related">The observed document of a related twin, by id (JOIN conditions only).</param>
    /// <param name="outgoing">The twin's relationships of a name (JOIN conditions only).</param>
    public (bool Holds, JsonNode? Value) Evaluate(JsonObject twin, Func<string, JsonObject?> related, Func<string, string, IReadOnlyList<RelationshipDocument>> outgoing)
    {
        var row = new Doc?[_plan.Slots.Count];
        row[0] = Doc.Of(twin);
        return Joins.Count == 0 ? Decide(row) : Join(row, 0, related, outgoing);
    }

    private (bool Holds, JsonNode? Value) Join(Doc?[] row, int index, Func<string, JsonObject?> related, Func<string, string, IReadOnlyList<RelationshipDocument>> outgoing)
    {
        if (index == Joins.Count)
        {
            return Decide(row);
        }
        var join = Joins[index];
        var source = row[_plan.SlotOf(join.Source)];
        if (source is null)
        {
            return (false, null);
        }
        var targetSlot = _plan.SlotOf(join.Target);
        var relationshipSlot = join.RelationshipAlias is { } alias ? _plan.SlotOf(alias) : -1;
        foreach (var relationship in outgoing(source.DtId, join.RelationshipName))
        {
            if (related(relationship.TargetId) is not { } target)
            {
                continue;
            }
            row[targetSlot] = Doc.Of(target);
            if (relationshipSlot >= 0)
            {
                row[relationshipSlot] = Doc.Of(relationship);
            }
            var decided = Join(row, index + 1, related, outgoing);
            if (decided.Holds)
            {
                return decided;
            }
        }
        row[targetSlot] = null;
        return (false, null);
    }

    private (bool Holds, JsonNode? Value) Decide(Doc?[] row)
    {
        var evaluator = _evaluator.Value!;
        if (!evaluator.Matches(row))
        {
            return (false, null);
        }
        JsonNode? value = null;
        if (_valuePath is not null && evaluator.TryProject(_valuePath, row, out var projected))
        {
            value = projected;
        }
        return (true, value);
    }

    /// <summary>Reads <c>NAME(path, 'window'[, 'per'])</c> or <c>ABSENT(['path',] 'window')</c> starting at token <paramref name="at"/>; returns the call and the index of its closing parenthesis.</summary>
    private static Result<(RuleFunction Function, int End)> ReadCall(string text, List<Token> tokens, int at, RuleFunctionKind kind, string slot)
    {
        var name = tokens[at].Value.ToUpperInvariant();
        var i = at + 2;
        string? path = null;
        if (tokens[i].Kind == TokenKind.Identifier)
        {
            var segments = new List<string> { tokens[i].Value };
            i++;
            while (tokens[i].Kind == TokenKind.Dot && tokens[i + 1].Kind == TokenKind.Identifier)
            {
                segments.Add(tokens[i + 1].Value);
                i += 2;
            }
            if (segments.Count > 1 && segments[0] == "T")
            {
                segments.RemoveAt(0);
            }
            path = string.Join('.', segments);
            if (tokens[i].Kind != TokenKind.Comma)
            {
                return CallError(text, tokens[i], $"{name} expects a comma after '{path}', then the window as a duration in quotes");
            }
            i++;
        }
        else if (kind != RuleFunctionKind.Absent)
        {
            return CallError(text, tokens[i], $"{name} expects a telemetry name first, e.g. {name}(temperature, '10m')");
        }
        var durations = new List<TimeSpan>();
        while (true)
        {
            if (tokens[i].Kind != TokenKind.String)
            {
                return CallError(text, tokens[i], $"{name} expects a duration in quotes, e.g. '10m'");
            }
            var duration = HistoryDuration.Parse(tokens[i].Value, $"the duration of {name}");
            if (!duration.IsSuccess)
            {
                return CallError(text, tokens[i], duration.Error.Message);
            }
            durations.Add(duration.Value);
            i++;
            if (tokens[i].Kind == TokenKind.RParen)
            {
                break;
            }
            if (tokens[i].Kind != TokenKind.Comma)
            {
                return CallError(text, tokens[i], $"{name} expects ',' or ')' here");
            }
            i++;
        }
        var most = kind == RuleFunctionKind.Rate ? 2 : 1;
        if (durations.Count > most)
        {
            return CallError(text, tokens[i], kind == RuleFunctionKind.Rate
                ? "RATE takes a name, a window and optionally the time unit of the rate: RATE(pressure, '5m', '1m')"
                : $"{name} takes a name and one window: {name}({path ?? "temperature"}, '10m')");
        }
        var per = durations.Count > 1 ? durations[1] : TimeSpan.FromSeconds(1);
        return Result<(RuleFunction, int)>.Ok((new RuleFunction(kind, path, durations[0], per, slot), i));
    }

    private static Result<(RuleFunction, int)> CallError(string text, Token at, string message)
    {
        var (line, column) = SourceText.Position(text, at.Start);
        return Result<(RuleFunction, int)>.Fail("RuleInvalid", $"line {line}, column {column}: {message}");
    }

    private static void Walk(Expr expr, QueryPlan plan, HashSet<string> reads, ref PathExpr? valuePath, List<RuleFunction> functions)
    {
        switch (expr)
        {
            case PathExpr path:
                var (slot, skip) = plan.Resolve(path.Segments);
                if (slot == 0 && path.Segments.Count > skip)
                {
                    reads.Add(path.Segments[skip]);
                    if (path.Segments.Count > skip + 1)
                    {
                        reads.Add(path.Segments[skip] + "." + path.Segments[skip + 1]);
                    }
                }
                break;
            case BinaryExpr binary:
                if (binary.Op is not (BinaryOp.And or BinaryOp.Or) && valuePath is null)
                {
                    valuePath = binary.Left as PathExpr ?? binary.Right as PathExpr;
                }
                Walk(binary.Left, plan, reads, ref valuePath, functions);
                Walk(binary.Right, plan, reads, ref valuePath, functions);
                break;
            case NotExpr not:
                Walk(not.Operand, plan, reads, ref valuePath, functions);
                break;
            case InExpr @in:
                valuePath ??= @in.Operand as PathExpr;
                Walk(@in.Operand, plan, reads, ref valuePath, functions);
                break;
            case CallExpr call:
                foreach (var argument in call.Arguments)
                {
                    Walk(argument, plan, reads, ref valuePath, functions);
                }
                break;
        }
    }

    private static Result<RuleExpression> Shifted(string field, QueryError error) =>
        error.Line > 1 ? Fail(field, error.Line - 1, error.Column, error.Message) : Fail(field, 1, 1, error.Message);

    private static Result<RuleExpression> Fail(string field, int line, int column, string message) =>
        Result<RuleExpression>.Fail("RuleInvalid", $"{field}: line {line}, column {column}: {message}");

    public override string ToString() => Text;

    /// <summary>A source with no twins: a condition reads only the documents it is given, and models for IS_OF_MODEL.</summary>
    private sealed class ModelsOnly(Func<string, IReadOnlySet<string>> models) : IQuerySource
    {
        public IEnumerable<JsonObject> TwinsAfter(string? afterDtId) => [];

        public IReadOnlySet<string> ModelAndSubtypes(string dtmi) => models(dtmi);
    }
}
