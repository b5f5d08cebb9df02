using System.Text.Json.Nodes;

namespace Doppel.Query.Internal;

/// <summary>A parsed query checked against what this engine executes, with the FROM alias resolved.</summary>
internal sealed class QueryPlan
{
    private QueryPlan(QuerySyntax syntax) => Syntax = syntax;

    public QuerySyntax Syntax { get; }

    public string? Alias => Syntax.From.Alias;

    public static (QueryPlan? Plan, QueryError? Error) Create(string text, QuerySyntax syntax)
    {
        var plan = new QueryPlan(syntax);
        var (offset, message) = plan.Check();
        return message is null ? (plan, null) : (null, Parser.ErrorAt(text, offset, message));
    }

    private (int Offset, string? Message) Check()
    {
        var from = Syntax.From;
        if (from.Collection == CollectionKind.Relationships)
        {
            return (from.Offset, "FROM RELATIONSHIPS is not supported yet");
        }
        if (from.Joins.Count > 0)
        {
            return (from.Joins[0].Offset, "JOIN is not supported yet");
        }
        if (from.Match is not null)
        {
            return (from.Match.Offset, "MATCH is not supported yet");
        }
        if (Syntax.OrderBy.Count > 0)
        {
            return (Syntax.OrderByOffset, "ORDER BY is not supported yet");
        }
        return Syntax.Where is null ? (0, null) : Check(Syntax.Where);
    }

    private (int Offset, string? Message) Check(Expr expr)
    {
        switch (expr)
        {
            case BinaryExpr binary:
                var left = Check(binary.Left);
                return left.Message is not null ? left : Check(binary.Right);
            case NotExpr not:
                return Check(not.Operand);
            case InExpr @in:
                return Check(@in.Operand);
            case CallExpr { Name: "IS_OF_MODEL" } call:
                return CheckIsOfModel(call);
            case CallExpr call:
                foreach (var argument in call.Arguments)
                {
                    var result = Check(argument);
                    if (result.Message is not null)
                    {
                        return result;
                    }
                }
                return (0, null);
            default:
                return (0, null);
        }
    }

    private (int Offset, string? Message) CheckIsOfModel(CallExpr call)
    {
        var arguments = call.Arguments;
        var index = 0;
        if (arguments[0] is PathExpr collection)
        {
            if (collection.Segments.Count != 1 || !string.Equals(collection.Segments[0], Alias, StringComparison.Ordinal))
            {
                return (collection.Offset, $"IS_OF_MODEL refers to '{collection}', which is not a collection of this query");
            }
            index = 1;
        }
        if (index >= arguments.Count || arguments[index] is not LiteralExpr { Value: JsonValue model } || model.GetValueKind() != System.Text.Json.JsonValueKind.String)
        {
            return (index < arguments.Count ? arguments[index].Offset : call.Offset, "IS_OF_MODEL expects a model id string such as 'dtmi:example:Room;1'");
        }
        var rest = arguments.Count - index - 1;
        var exactOnly = rest == 0 || (rest == 1 && arguments[^1] is PathExpr { Segments: [var word] } && word.Equals("exact", StringComparison.OrdinalIgnoreCase));
        if (!exactOnly)
        {
            return (arguments[^1].Offset, "IS_OF_MODEL accepts only 'exact' after the model id");
        }
        return (0, null);
    }
}
