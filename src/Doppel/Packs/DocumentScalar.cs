using System.Globalization;

namespace Doppel.Packs;

/// <summary>A single value of a document: a text, a number or a boolean as written.</summary>
public sealed class DocumentScalar : DocumentNode
{
    internal DocumentScalar(string path, int line, int column, string text, bool quoted)
        : base(path, line, column)
    {
        Text = text;
        IsQuoted = quoted;
    }

    /// <summary>The value as written (without quotes).</summary>
    public string Text { get; }

    /// <summary>Whether it was written in quotes (a JSON string, a quoted YAML scalar).</summary>
    public bool IsQuoted { get; }

    /// <summary>An unquoted <c>null</c>, <c>~</c> or empty value: the key is there but says nothing.</summary>
    public bool IsNull => !IsQuoted && Text is "" or "~" or "null" or "Null" or "NULL";

    /// <summary>The value as a finite number, or an error.</summary>
    public double Number()
    {
        if (double.TryParse(Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
        {
            return value;
        }
        throw Error($"'{Text}' is not a number");
    }

    /// <summary>The value as a whole number within <see cref="int"/>'s range, or an error.</summary>
    public int Integer()
    {
        var value = Number();
        return value == Math.Floor(value) && value is >= int.MinValue and <= int.MaxValue
            ? (int)value
            : throw Error($"'{Text}' is not a whole number");
    }

    /// <summary>The value as a non-negative whole number (a seed), or an error.</summary>
    public ulong UnsignedInteger() =>
        ulong.TryParse(Text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Error($"'{Text}' is not a whole number from 0 to {ulong.MaxValue}");

    /// <summary>The value as <c>true</c> or <c>false</c>, or an error.</summary>
    public bool Boolean() => Text switch
    {
        "true" or "True" or "TRUE" => true,
        "false" or "False" or "FALSE" => false,
        _ => throw Error($"'{Text}' is not true or false"),
    };
}
