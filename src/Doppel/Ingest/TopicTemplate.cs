namespace Doppel.Ingest;

/// <summary>
/// An MQTT topic pattern with named captures: <c>factory/{line}/{machine}/telemetry</c>. A <c>{name}</c> or <c>+</c> level
/// matches one level; a final <c>#</c> matches the rest. The subscription filter is the same pattern with captures as <c>+</c>.
/// </summary>
public sealed class TopicTemplate
{
    private readonly string[] _levels;   // literal text, or null-like markers below
    private readonly string?[] _captures; // capture name per level (null: literal or '+')
    private readonly bool _rest;

    private TopicTemplate(string text, string[] levels, string?[] captures, bool rest)
    {
        Text = text;
        _levels = levels;
        _captures = captures;
        _rest = rest;
        CaptureNames = [.. captures.Where(c => c is not null)!];
        Filter = string.Join('/', levels.Select((l, i) => captures[i] is not null ? "+" : l)) + (rest ? (levels.Length > 0 ? "/#" : "#") : "");
    }

    public string Text { get; }

    /// <summary>The MQTT subscription filter that receives every topic this template matches.</summary>
    public string Filter { get; }

    public IReadOnlyList<string> CaptureNames { get; }

    public static Result<TopicTemplate> Parse(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return Result<TopicTemplate>.Fail("InvalidArgument", "A topic template must not be empty.");
        }
        var parts = text.Split('/');
        var rest = parts[^1] == "#";
        var count = rest ? parts.Length - 1 : parts.Length;
        var levels = new string[count];
        var captures = new string?[count];
        for (var i = 0; i < count; i++)
        {
            var part = parts[i];
            if (part.Length > 2 && part[0] == '{' && part[^1] == '}')
            {
                var name = part[1..^1];
                if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
                {
                    return Result<TopicTemplate>.Fail("InvalidArgument", $"Topic template '{text}': capture '{part}' must be letters, digits or '_'.");
                }
                if (captures.Contains(name))
                {
                    return Result<TopicTemplate>.Fail("InvalidArgument", $"Topic template '{text}': capture '{name}' appears twice.");
                }
                captures[i] = name;
                levels[i] = "+";
            }
            else if (part.Contains('#') || part.Contains('{') || part.Contains('}') || (part.Contains('+') && part != "+"))
            {
                return Result<TopicTemplate>.Fail("InvalidArgument", $"Topic template '{text}': level {i + 1} '{part}' is not a literal, '+', '{{name}}' or a final '#'.");
            }
            else
            {
                levels[i] = part;
            }
        }
        return Result<TopicTemplate>.Ok(new TopicTemplate(text, levels, captures, rest));
    }

    /// <summary>Matches a topic, filling <paramref name="captures"/> (cleared first) with the captured levels.</summary>
    public bool TryMatch(string topic, Dictionary<string, string> captures)
    {
        captures.Clear();
        var start = 0;
        for (var i = 0; i < _levels.Length; i++)
        {
            if (start > topic.Length)
            {
                return false;
            }
            var end = topic.IndexOf('/', start);
            if (end < 0)
            {
                end = topic.Length;
            }
            var level = topic.AsSpan(start, end - start);
            var pattern = _levels[i];
            if (_captures[i] is { } name)
            {
                if (level.IsEmpty)
                {
                    return false;
                }
                captures[name] = level.ToString();
            }
            else if (pattern != "+" && !level.SequenceEqual(pattern))
            {
                return false;
            }
            start = end + 1;
        }
        // All levels consumed: the topic must end here, unless '#' takes the rest.
        return _rest || start == topic.Length + 1;
    }
}
