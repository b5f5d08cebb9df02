using System.Text.Json;

namespace Doppel.Rules.Internal;

internal enum FilterValueKind : byte
{
    Missing,
    Null,
    String,
    Number,
    Boolean,
}

/// <summary>An operand's value for one event; <see cref="FilterValueKind.Missing"/> (absent member, object, array) compares false with anything.</summary>
internal readonly record struct FilterValue(FilterValueKind Kind, string? String = null, double Number = 0, bool Boolean = false)
{
    public static readonly FilterValue Missing = new(FilterValueKind.Missing);

    public static FilterValue Of(string? s) => s is null ? Missing : new(FilterValueKind.String, String: s);

    public static FilterValue Of(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => new(FilterValueKind.String, String: e.GetString()),
        JsonValueKind.Number => new(FilterValueKind.Number, Number: e.GetDouble()),
        JsonValueKind.True => new(FilterValueKind.Boolean, Boolean: true),
        JsonValueKind.False => new(FilterValueKind.Boolean, Boolean: false),
        JsonValueKind.Null => new(FilterValueKind.Null),
        _ => Missing,
    };

    /// <summary>
    /// The comparison, or false when the kinds differ or a side is missing (as in ADT's query language, where comparing
    /// undefined or differently typed values is false); strings compare ordinally, booleans and nulls only for (in)equality.
    /// </summary>
    public static bool Compare(FilterTokenKind op, in FilterValue a, in FilterValue b)
    {
        if (a.Kind != b.Kind || a.Kind == FilterValueKind.Missing)
        {
            return false;
        }
        int order;
        switch (a.Kind)
        {
            case FilterValueKind.String:
                order = string.CompareOrdinal(a.String, b.String);
                break;
            case FilterValueKind.Number:
                if (double.IsNaN(a.Number) || double.IsNaN(b.Number))
                {
                    return false;
                }
                order = a.Number.CompareTo(b.Number);
                break;
            case FilterValueKind.Boolean:
                return op switch
                {
                    FilterTokenKind.Equal => a.Boolean == b.Boolean,
                    FilterTokenKind.NotEqual => a.Boolean != b.Boolean,
                    _ => false,
                };
            default:
                return op == FilterTokenKind.Equal;
        }
        return op switch
        {
            FilterTokenKind.Equal => order == 0,
            FilterTokenKind.NotEqual => order != 0,
            FilterTokenKind.Less => order < 0,
            FilterTokenKind.LessOrEqual => order <= 0,
            FilterTokenKind.Greater => order > 0,
            _ => order >= 0,
        };
    }
}
