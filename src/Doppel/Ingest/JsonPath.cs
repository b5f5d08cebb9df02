using System.Globalization;
using System.Text.Json;

namespace Doppel.Ingest;

/// <summary>
/// A JSON path selecting one value: <c>$</c>, <c>$.a.b</c>, <c>$.readings[0].value</c>, <c>$['name with spaces']</c>.
/// Only single-value paths: a mapping takes one value per DTDL name.
/// </summary>
public sealed class JsonPath
{
    private readonly object[] _steps; // string member names and int indexes

    private JsonPath(string text, object[] steps)
    {
        Text = text;
        _steps = steps;
    }

    public string Text { get; }

    public static Result<JsonPath> Parse(string text)
    {
        if (string.IsNullOrEmpty(text) || text[0] != '$')
        {
            return Fail(text, 0, "a path starts with '$'");
        }
        var steps = new List<object>();
        var i = 1;
        while (i < text.Length)
        {
            if (text[i] == '.')
            {
                var start = ++i;
                while (i < text.Length && text[i] is not ('.' or '['))
                {
                    i++;
                }
                if (i == start)
                {
                    return Fail(text, start, "a member name is expected after '.'");
                }
                steps.Add(text[start..i]);
            }
            else if (text[i] == '[')
            {
                var close = text.IndexOf(']', i);
                if (close < 0)
                {
                    return Fail(text, i, "'[' is not closed");
                }
                var inner = text[(i + 1)..close];
                if (inner.Length >= 2 && inner[0] is '\'' or '"' && inner[^1] == inner[0])
                {
                    steps.Add(inner[1..^1]);
                }
                else if (int.TryParse(inner, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    steps.Add(index);
                }
                else
                {
                    return Fail(text, i + 1, $"'[{inner}]' is neither an index nor a quoted name");
                }
                i = close + 1;
            }
            else
            {
                return Fail(text, i, $"unexpected '{text[i]}'");
            }
        }
        return Result<JsonPath>.Ok(new JsonPath(text, [.. steps]));
    }

    /// <summary>The value at the path, or false when a step is missing.</summary>
    public bool TrySelect(JsonElement root, out JsonElement value)
    {
        value = root;
        foreach (var step in _steps)
        {
            if (step is string name)
            {
                if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(name, out value))
                {
                    return false;
                }
            }
            else if (value.ValueKind != JsonValueKind.Array || (int)step >= value.GetArrayLength())
            {
                return false;
            }
            else
            {
                value = value[(int)step];
            }
        }
        return true;
    }

    public override string ToString() => Text;

    private static Result<JsonPath> Fail(string text, int position, string why) =>
        Result<JsonPath>.Fail("InvalidArgument", $"JSON path '{text}' at position {position + 1}: {why}.");
}
