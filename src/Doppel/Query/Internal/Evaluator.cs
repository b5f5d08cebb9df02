using System.Text.Json.Nodes;

namespace Doppel.Query.Internal;

/// <summary>
/// Evaluates conditions and projections on one twin with the three-valued logic of ADT (Cosmos DB):
/// a missing property or a comparison of mismatched types is undefined, NOT undefined stays undefined,
/// and only rows whose condition is true are returned. A row binds one document per alias of the query (slot order of
/// <see cref="QueryPlan.Slots"/>); paths that start with an alias read that document, other paths read slot 0.
/// </summary>
internal sealed class Evaluator(QueryPlan plan, IQuerySource source)
{
    private readonly Dictionary<string, IReadOnlySet<string>> _subtypes = new(StringComparer.Ordinal);
    private readonly ParsedTwins _parsed = new();

    public bool Matches(Doc?[] twin) => plan.Syntax.Where is not { } where || Condition(where, twin) == true;

    public JsonNode Project(Doc?[] twin)
    {
        var select = plan.Syntax.Select;
        if (select.Kind == SelectKind.Star)
        {
            return twin[0]!.ToRow(true, _parsed);
        }
        var row = new JsonObject();
        foreach (var projection in select.Projections)
        {
            if (TryProject(projection.Path!, twin, out var value))
            {
                row[projection.Name] = value;
            }
        }
        return row;
    }

    /// <summary>A fresh node for the value of <paramref name="path"/> on the row, or false when it is undefined.</summary>
    public bool TryProject(PathExpr path, Doc?[] twin, out JsonNode? value)
    {
        var (slot, skip) = plan.Resolve(path.Segments);
        value = null;
        return twin[slot] is { } doc && doc.TryProject(path.Segments, skip, _parsed, out value);
    }

    private bool? Condition(Expr expr, Doc?[] twin)
    {
        switch (expr)
        {
            case BinaryExpr { Op: BinaryOp.And } and:
                var a = Condition(and.Left, twin);
                if (a == false)
                {
                    return false;
                }
                var b = Condition(and.Right, twin);
                return b == false ? false : a == true && b == true ? true : null;
            case BinaryExpr { Op: BinaryOp.Or } or:
                var l = Condition(or.Left, twin);
                if (l == true)
                {
                    return true;
                }
                var r = Condition(or.Right, twin);
                return r == true ? true : l == false && r == false ? false : null;
            case NotExpr not:
                return !Condition(not.Operand, twin);
            default:
                var value = Value(expr, twin);
                return value.Kind == ValueKind.Bool ? value.Bool : null;
        }
    }

    private QueryValue Value(Expr expr, Doc?[] twin)
    {
        switch (expr)
        {
            case LiteralExpr literal:
                return QueryValue.Of(literal.Value);
            case PathExpr path:
                return Navigate(twin, path.Segments);
            case BinaryExpr { Op: BinaryOp.And or BinaryOp.Or } or NotExpr:
                return QueryValue.Of(Condition(expr, twin));
            case BinaryExpr binary:
                return QueryValue.Of(Compare(binary.Op, Value(binary.Left, twin), Value(binary.Right, twin)));
            case InExpr @in:
                return QueryValue.Of(In(@in, twin));
            case CallExpr call:
                return QueryValue.Of(Call(call, twin));
            default:
                throw new InvalidOperationException($"Unexpected expression {expr.GetType().Name}.");
        }
    }

    private static bool? Compare(BinaryOp op, in QueryValue left, in QueryValue right)
    {
        if (op is BinaryOp.Eq or BinaryOp.NotEq)
        {
            var equal = QueryValue.Equal(left, right);
            return op == BinaryOp.Eq ? equal : !equal;
        }
        var order = QueryValue.Compare(left, right);
        return order is not { } c ? null : op switch
        {
            BinaryOp.Lt => c < 0,
            BinaryOp.Gt => c > 0,
            BinaryOp.LtEq => c <= 0,
            _ => c >= 0,
        };
    }

    private bool? In(InExpr @in, Doc?[] twin)
    {
        var value = Value(@in.Operand, twin);
        if (value.Kind == ValueKind.Undefined)
        {
            return null;
        }
        foreach (var item in @in.Items)
        {
            if (QueryValue.Equal(value, QueryValue.Of(item.Value)) == true)
            {
                return !@in.Negated;
            }
        }
        return @in.Negated;
    }

    private bool? Call(CallExpr call, Doc?[] twin)
    {
        var arguments = call.Arguments;
        if (call.Name == "IS_OF_MODEL")
        {
            return IsOfModel(arguments, twin);
        }
        var first = Value(arguments[0], twin);
        switch (call.Name)
        {
            case "IS_DEFINED": return first.Kind != ValueKind.Undefined;
            case "IS_NULL": return first.Kind == ValueKind.Null;
            case "IS_BOOL": return first.Kind == ValueKind.Bool;
            case "IS_NUMBER": return first.Kind == ValueKind.Number;
            case "IS_STRING": return first.Kind == ValueKind.String;
            case "IS_PRIMITIVE": return first.Kind is ValueKind.Null or ValueKind.Bool or ValueKind.Number or ValueKind.String;
            case "IS_OBJECT": return first.Kind == ValueKind.Object;
        }
        var second = Value(arguments[1], twin);
        if (call.Name == "ARRAY_CONTAINS")
        {
            if (first.Kind != ValueKind.Array || second.Kind == ValueKind.Undefined)
            {
                return null;
            }
            foreach (var element in (JsonArray)first.Node!)
            {
                if (QueryValue.Equal(QueryValue.Of(element), second) == true)
                {
                    return true;
                }
            }
            return false;
        }
        if (first.Kind != ValueKind.String || second.Kind != ValueKind.String)
        {
            return null;
        }
        return call.Name switch
        {
            "STARTSWITH" => first.String!.StartsWith(second.String!, StringComparison.Ordinal),
            "ENDSWITH" => first.String!.EndsWith(second.String!, StringComparison.Ordinal),
            "CONTAINS" => first.String!.Contains(second.String!, StringComparison.Ordinal),
            _ => throw new InvalidOperationException($"Unexpected function {call.Name}."),
        };
    }

    private bool IsOfModel(IReadOnlyList<Expr> arguments, Doc?[] twin)
    {
        var index = arguments[0] is PathExpr ? 1 : 0;
        var dtmi = ((LiteralExpr)arguments[index]).Value!.GetValue<string>();
        var exact = arguments.Count > index + 1;
        var doc = index == 1 ? twin[plan.SlotOf(((PathExpr)arguments[0]).Segments[0])] : twin[0];
        if (doc?.Model is not { } model)
        {
            return false;
        }
        if (exact)
        {
            return string.Equals(model, dtmi, StringComparison.Ordinal);
        }
        if (!_subtypes.TryGetValue(dtmi, out var models))
        {
            models = source.ModelAndSubtypes(dtmi);
            _subtypes[dtmi] = models;
        }
        return models.Contains(model) || string.Equals(model, dtmi, StringComparison.Ordinal);
    }

    /// <summary>A value for ORDER BY: the path's value on the row.</summary>
    public QueryValue Value(PathExpr path, Doc?[] row) => Navigate(row, path.Segments);

    private QueryValue Navigate(Doc?[] row, IReadOnlyList<string> segments)
    {
        var (slot, skip) = plan.Resolve(segments);
        return row[slot] is { } doc ? doc.Read(segments, skip) : QueryValue.Undefined;
    }
}
