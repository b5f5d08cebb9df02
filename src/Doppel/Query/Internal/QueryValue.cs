using System.Text.Json;
using System.Text.Json.Nodes;

namespace Doppel.Query.Internal;

internal enum ValueKind
{
    Undefined,
    Null,
    Bool,
    Number,
    String,
    Array,
    Object,
}

/// <summary>A JSON value as the query language sees it, including "undefined" for a missing property.</summary>
internal readonly record struct QueryValue(ValueKind Kind, double Number = 0, string? String = null, JsonNode? Node = null)
{
    public static readonly QueryValue Undefined = new(ValueKind.Undefined);
    public static readonly QueryValue Null = new(ValueKind.Null);
    public static readonly QueryValue True = new(ValueKind.Bool, 1);
    public static readonly QueryValue False = new(ValueKind.Bool, 0);

    public bool Bool => Number != 0;

    public static QueryValue Of(bool? value) => value switch
    {
        true => True,
        false => False,
        null => Undefined,
    };

    /// <summary>Converts a JSON node that is present (a C# null is a JSON null).</summary>
    public static QueryValue Of(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return Null;
            case JsonObject:
                return new QueryValue(ValueKind.Object, Node: node);
            case JsonArray:
                return new QueryValue(ValueKind.Array, Node: node);
        }
        var value = (JsonValue)node;
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                return new QueryValue(ValueKind.String, String: value.GetValue<string>());
            case JsonValueKind.Number:
                return new QueryValue(ValueKind.Number, value.TryGetValue<double>(out var number) ? number : double.Parse(value.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture));
            case JsonValueKind.True:
                return True;
            case JsonValueKind.False:
                return False;
            case JsonValueKind.Null:
                return Null;
            default:
                return Undefined;
        }
    }

    /// <summary>Converts a property value read in place from a stored document.</summary>
    public static QueryValue Of(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => new QueryValue(ValueKind.String, String: element.GetString()),
        JsonValueKind.Number => new QueryValue(ValueKind.Number, element.TryGetDouble(out var d) ? d : double.Parse(element.GetRawText(), System.Globalization.CultureInfo.InvariantCulture)),
        JsonValueKind.True => True,
        JsonValueKind.False => False,
        JsonValueKind.Null => Null,
        JsonValueKind.Object => new QueryValue(ValueKind.Object, Node: JsonObject.Create(element)),
        JsonValueKind.Array => new QueryValue(ValueKind.Array, Node: JsonArray.Create(element)),
        _ => Undefined,
    };

    /// <summary>Structural equality: numbers by value, strings ordinally, arrays and objects member by member; null when either side is undefined or the kinds differ.</summary>
    public static bool? Equal(in QueryValue a, in QueryValue b)
    {
        if (a.Kind == ValueKind.Undefined || b.Kind == ValueKind.Undefined || a.Kind != b.Kind)
        {
            return null;
        }
        return a.Kind switch
        {
            ValueKind.Null => true,
            ValueKind.Bool or ValueKind.Number => a.Number == b.Number,
            ValueKind.String => string.Equals(a.String, b.String, StringComparison.Ordinal),
            _ => DeepEqual(a.Node, b.Node),
        };
    }

    /// <summary>Ordering for numbers, strings (ordinal) and booleans (false before true); null for any other pair.</summary>
    public static int? Compare(in QueryValue a, in QueryValue b)
    {
        if (a.Kind != b.Kind)
        {
            return null;
        }
        return a.Kind switch
        {
            ValueKind.Bool or ValueKind.Number => a.Number.CompareTo(b.Number),
            ValueKind.String => string.CompareOrdinal(a.String, b.String),
            _ => null,
        };
    }

    /// <summary>A total order for ORDER BY: undefined, null, booleans, numbers, strings, then arrays and objects (unordered among themselves).</summary>
    public static int Order(in QueryValue a, in QueryValue b) =>
        a.Kind != b.Kind ? a.Kind.CompareTo(b.Kind) : Compare(a, b) ?? 0;

    private static bool DeepEqual(JsonNode? a, JsonNode? b)
    {
        var x = Of(a);
        var y = Of(b);
        if (x.Kind != y.Kind)
        {
            return false;
        }
        switch (x.Kind)
        {
            case ValueKind.Array:
                var left = (JsonArray)x.Node!;
                var right = (JsonArray)y.Node!;
                if (left.Count != right.Count)
                {
                    return false;
                }
                for (var i = 0; i < left.Count; i++)
                {
                    if (!DeepEqual(left[i], right[i]))
                    {
                        return false;
                    }
                }
                return true;
            case ValueKind.Object:
                var l = (JsonObject)x.Node!;
                var r = (JsonObject)y.Node!;
                if (l.Count != r.Count)
                {
                    return false;
                }
                foreach (var (key, value) in l)
                {
                    if (!r.TryGetPropertyValue(key, out var other) || !DeepEqual(value, other))
                    {
                        return false;
                    }
                }
                return true;
            default:
                return Equal(x, y) == true;
        }
    }
}
