using System.Globalization;
using System.Text.Json;
using Doppel.Events;

namespace Doppel.Rules.Internal;

/// <summary>A predicate of the compiled filter tree.</summary>
internal abstract class FilterNode
{
    public abstract bool IsTrue(EventFilterInput input);
}

internal sealed class ConstantNode(bool value) : FilterNode
{
    public override bool IsTrue(EventFilterInput input) => value;
}

internal sealed class AndNode(FilterNode left, FilterNode right) : FilterNode
{
    public override bool IsTrue(EventFilterInput input) => left.IsTrue(input) && right.IsTrue(input);
}

internal sealed class OrNode(FilterNode left, FilterNode right) : FilterNode
{
    public override bool IsTrue(EventFilterInput input) => left.IsTrue(input) || right.IsTrue(input);
}

internal sealed class NotNode(FilterNode operand) : FilterNode
{
    public override bool IsTrue(EventFilterInput input) => !operand.IsTrue(input);
}

internal sealed class CompareNode(FilterTokenKind op, Operand left, Operand right) : FilterNode
{
    public override bool IsTrue(EventFilterInput input) => FilterValue.Compare(op, left.Evaluate(input), right.Evaluate(input));
}

/// <summary>STARTS_WITH, ENDS_WITH, CONTAINS: true only when both arguments are strings (ordinal, case-sensitive).</summary>
internal sealed class StringFunctionNode(string function, Operand text, Operand part) : FilterNode
{
    public override bool IsTrue(EventFilterInput input)
    {
        var a = text.Evaluate(input);
        var b = part.Evaluate(input);
        if (a.Kind != FilterValueKind.String || b.Kind != FilterValueKind.String)
        {
            return false;
        }
        return function switch
        {
            "STARTS_WITH" => a.String!.StartsWith(b.String!, StringComparison.Ordinal),
            "ENDS_WITH" => a.String!.EndsWith(b.String!, StringComparison.Ordinal),
            _ => a.String!.Contains(b.String!, StringComparison.Ordinal),
        };
    }
}

/// <summary>A value in a comparison: a literal, a CloudEvents attribute, or a <c>$body</c> path.</summary>
internal abstract class Operand
{
    public abstract FilterValue Evaluate(EventFilterInput input);
}

internal sealed class LiteralOperand(FilterValue value) : Operand
{
    public FilterValue Value { get; } = value;

    public override FilterValue Evaluate(EventFilterInput input) => Value;
}

/// <summary>The CloudEvents attributes Doppel writes (see <see cref="CloudEventJson"/>).</summary>
internal sealed class AttributeOperand(string name) : Operand
{
    public static readonly string[] Names = ["type", "source", "subject", "id", "specversion", "dataschema", "datacontenttype", "time"];

    public override FilterValue Evaluate(EventFilterInput input)
    {
        var e = input.Event;
        return FilterValue.Of(name switch
        {
            "type" => e.Type,
            "source" => input.Source,
            "subject" => e.Subject,
            "id" => e.Id,
            "specversion" => "1.0",
            "dataschema" => e.ModelId,
            "datacontenttype" => "application/json",
            _ => e.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
        });
    }
}

/// <summary>A member path into the body; segments are member names (string) or array indexes (int).</summary>
internal sealed class BodyOperand(object[] path) : Operand
{
    public override FilterValue Evaluate(EventFilterInput input)
    {
        if (input.Body is not { } node)
        {
            return FilterValue.Missing;
        }
        foreach (var segment in path)
        {
            if (segment is string name)
            {
                if (node.ValueKind != JsonValueKind.Object || !node.TryGetProperty(name, out node))
                {
                    return FilterValue.Missing;
                }
            }
            else
            {
                var index = (int)segment;
                if (node.ValueKind != JsonValueKind.Array || index >= node.GetArrayLength())
                {
                    return FilterValue.Missing;
                }
                node = node[index];
            }
        }
        return FilterValue.Of(node);
    }
}
