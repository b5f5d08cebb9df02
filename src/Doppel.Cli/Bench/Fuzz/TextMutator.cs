using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using static Doppel.Cli.Bench.Fuzz.FuzzRandom;

namespace Doppel.Cli.Bench.Fuzz;

/// <summary>
/// Makes fuzz inputs for a text grammar (queries, filters, JSON documents, YAML files) from real inputs and a dictionary
/// of the grammar's tokens, deterministically: input <c>i</c> of seed <c>s</c> is always the same. Each input is a seed
/// with a few edits: tokens of the grammar inserted or put in place of a word, spans dropped or repeated, lines
/// duplicated, dropped or re-indented, two seeds spliced, nesting far past any limit, very long literals, and, where the
/// seed is JSON, edits of its tree (values, members, keys); a share also gets byte-level damage.
/// </summary>
internal sealed class TextMutator
{
    private static readonly JsonSerializerOptions Compact = new() { MaxDepth = 4096, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Openers and closers that nest in one grammar or another: parentheses, arrays, objects, prefix operators, YAML blocks.</summary>
    private static readonly (string Open, string Close)[] Nestings =
    [
        ("(", ")"), ("[", "]"), ("{\"a\":", "}"), ("NOT ", ""), ("- ", ""), ("a:\n ", ""), ("{a: ", "}"), ("[[", "]]"), ("'", "'"), ("\"", "\""),
    ];

    private static readonly string[] Literals =
    [
        "0", "-0", "1", "-1", "1.5", "1e308", "-1e308", "1e-400", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
        "2147483648", "NaN", "Infinity", "-Infinity", "0x10", "1_000", ".5", "5.", "1e", "''", "\"\"", "'\\''", "\"\\u0000\"", "'\u00e9'",
        "'\uD83D\uDE00'", "\"\uD800\"", "null", "true", "false", "~", "[]", "{}", "\t", "\r\n", "\u00a0", "\u2028", "\0", "#", "&a", "*a", "!!str", "%", "\\",
    ];

    private readonly IReadOnlyList<string> _seeds;
    private readonly IReadOnlyList<string> _tokens;
    private readonly JsonNode?[] _trees;

    /// <param name="seeds">Real inputs of the grammar, valid and near-valid.</param>
    /// <param name="tokens">The grammar's keywords, operators, functions, keys and typical values.</param>
    public TextMutator(IReadOnlyList<string> seeds, IReadOnlyList<string> tokens)
    {
        ArgumentOutOfRangeException.ThrowIfZero(seeds.Count);
        _seeds = seeds;
        _tokens = [.. tokens, .. Literals];
        _trees = [.. seeds.Select(TryParseJson)];
    }

    public IReadOnlyList<string> Seeds => _seeds;

    /// <summary>The text of input <paramref name="index"/> under <paramref name="seed"/>.</summary>
    public string Make(ulong seed, long index)
    {
        var rng = For(seed, index);
        var s = rng.Next(_seeds.Count);
        // One in eight inputs is a seed as it is: what is valid must stay valid and run.
        if (rng.Next(8) == 0)
        {
            return _seeds[s];
        }

        var text = _trees[s] is { } tree && rng.Next(3) == 0 ? MutateTree(tree.DeepClone(), rng) : _seeds[s];
        var edits = 1 + Geometric(rng, 0.45, 8);
        for (var e = 0; e < edits; e++)
        {
            text = Edit(text, rng);
        }

        return rng.Next(7) == 0 ? Damage(text, rng) : text;
    }

    private string Edit(string text, Random rng)
    {
        switch (rng.Next(16))
        {
            case < 4:
                return Insert(text, rng.Next(text.Length + 1), Spaced(Pick(rng, _tokens), rng), rng);
            case < 7:
                {
                    var (at, length) = Word(text, rng);
                    return text.Remove(at, length).Insert(at, Pick(rng, _tokens));
                }

            case 7 when text.Length > 0:
                {
                    var at = rng.Next(text.Length);
                    return text.Remove(at, Math.Min(text.Length - at, 1 + Geometric(rng, 0.8, 40)));
                }

            case 8 when text.Length > 0:
                {
                    var at = rng.Next(text.Length);
                    var span = text.Substring(at, Math.Min(text.Length - at, 1 + rng.Next(60)));
                    return text.Insert(rng.Next(text.Length + 1), rng.Next(8) == 0 ? string.Concat(Enumerable.Repeat(span, rng.Next(2, 200))) : span);
                }

            case 9:
                {
                    // Splice: the head of this text, the tail of another seed.
                    var other = Pick(rng, _seeds);
                    return text[..rng.Next(text.Length + 1)] + other[rng.Next(other.Length + 1)..];
                }

            case 10:
                return Lines(text, rng);
            case 11:
                {
                    // Nesting far past any depth limit, around a span or on its own.
                    var (open, close) = Pick(rng, Nestings);
                    var n = rng.Next(4) == 0 ? rng.Next(200, 5000) : rng.Next(2, 80);
                    var at = rng.Next(text.Length + 1);
                    var end = at + rng.Next(Math.Min(40, text.Length - at) + 1);
                    var builder = new StringBuilder(text.Length + (n * (open.Length + close.Length)));
                    builder.Append(text, 0, at);
                    for (var i = 0; i < n; i++)
                    {
                        builder.Append(open);
                    }

                    builder.Append(text, at, end - at);
                    for (var i = 0; i < n; i++)
                    {
                        builder.Append(close);
                    }

                    return builder.Append(text, end, text.Length - end).ToString();
                }

            case 12:
                {
                    // A very long literal: a number, an identifier, a quoted string.
                    var n = rng.Next(4) == 0 ? rng.Next(1000, 20000) : rng.Next(10, 400);
                    var literal = rng.Next(4) switch
                    {
                        0 => new string('9', n),
                        1 => "a" + new string('b', n),
                        2 => "'" + new string('x', n) + "'",
                        _ => "\"" + new string('x', n) + "\"",
                    };
                    return Insert(text, rng.Next(text.Length + 1), literal, rng);
                }

            case 13:
                {
                    var (at, length) = Word(text, rng);
                    return text.Remove(at, length).Insert(at, Pick(rng, Literals));
                }

            case 14:
                {
                    // Case changes: keywords are case-insensitive in some grammars, names are not.
                    var (at, length) = Word(text, rng);
                    var word = text.Substring(at, length);
                    return text.Remove(at, length).Insert(at, rng.Next(2) == 0 ? word.ToUpperInvariant() : word.ToLowerInvariant());
                }

            default:
                return _trees.Length > 0 && TryParseJson(text) is { } tree ? MutateTree(tree, rng) : Insert(text, rng.Next(text.Length + 1), Pick(rng, _tokens), rng);
        }
    }

    private static string Spaced(string token, Random rng) => rng.Next(3) switch
    {
        0 => token,
        1 => " " + token + " ",
        _ => " " + token,
    };

    private static string Insert(string text, int at, string piece, Random rng) =>
        // Not inside a surrogate pair, mostly: that is the damage's job.
        at > 0 && at < text.Length && char.IsLowSurrogate(text[at]) && rng.Next(4) != 0 ? text.Insert(at - 1, piece) : text.Insert(at, piece);

    /// <summary>A run of name characters (or one other character) at a random place; empty at the end of the text.</summary>
    private static (int At, int Length) Word(string text, Random rng)
    {
        if (text.Length == 0)
        {
            return (0, 0);
        }

        var at = rng.Next(text.Length);
        static bool IsName(char c) => char.IsLetterOrDigit(c) || c is '_' or '$' or '.' or ':' or ';' or '-';
        if (!IsName(text[at]))
        {
            return (at, 1);
        }

        var start = at;
        while (start > 0 && IsName(text[start - 1]))
        {
            start--;
        }

        var end = at;
        while (end < text.Length && IsName(text[end]))
        {
            end++;
        }

        return (start, end - start);
    }

    /// <summary>Line edits, which matter to YAML: a line dropped, doubled, moved, or indented differently.</summary>
    private static string Lines(string text, Random rng)
    {
        var lines = text.Split('\n').ToList();
        var i = rng.Next(lines.Count);
        switch (rng.Next(5))
        {
            case 0 when lines.Count > 1:
                lines.RemoveAt(i);
                break;
            case 1:
                lines.Insert(rng.Next(lines.Count + 1), lines[i]);
                break;
            case 2:
                {
                    var j = rng.Next(lines.Count);
                    (lines[i], lines[j]) = (lines[j], lines[i]);
                    break;
                }

            case 3:
                lines[i] = new string(' ', rng.Next(1, 9)) + lines[i];
                break;
            default:
                lines[i] = lines[i].TrimStart();
                break;
        }

        return string.Join('\n', lines);
    }

    private string MutateTree(JsonNode? root, Random rng)
    {
        var slots = JsonSlot.All(root);
        var (node, parent, key, index) = slots[rng.Next(slots.Count)];
        JsonNode? replacement = null;
        var replace = true;
        switch (rng.Next(8))
        {
            case 0 when parent is JsonObject o:
                o.Remove(key!);
                replace = false;
                break;
            case 1 when parent is JsonObject o:
                {
                    // Rename the member to one of the grammar's tokens, keeping its value.
                    o.Remove(key!);
                    o[Pick(rng, _tokens)] = node;
                    replace = false;
                    break;
                }

            case 2 when node is JsonObject o:
                o[Pick(rng, _tokens)] = RandomValue(rng, 0);
                replace = false;
                break;
            case 3 when node is JsonArray a && a.Count > 0:
                a.Insert(rng.Next(a.Count + 1), a[rng.Next(a.Count)]?.DeepClone());
                replace = false;
                break;
            case 4:
                replacement = new JsonArray(node?.DeepClone());
                break;
            case 5 when parent is JsonArray a:
                a.RemoveAt(index);
                replace = false;
                break;
            default:
                replacement = RandomValue(rng, 0);
                break;
        }

        if (replace)
        {
            switch (parent)
            {
                case null:
                    root = replacement;
                    break;
                case JsonObject o:
                    o[key!] = replacement;
                    break;
                case JsonArray a:
                    a[index] = replacement;
                    break;
            }
        }

        return root is null ? "null" : root.ToJsonString(Compact);
    }

    private JsonNode? RandomValue(Random rng, int depth) => rng.Next(depth > 1 ? 7 : 10) switch
    {
        0 => JsonValue.Create(Pick(rng, _tokens)),
        1 => JsonValue.Create(Pick(rng, [0L, 1L, -1L, 2147483648L, long.MaxValue, long.MinValue])),
        2 => JsonValue.Create(Pick(rng, [0.5, -0.0, 1e308, -1e-308, 3.0])),
        3 => JsonValue.Create(rng.Next(2) == 0),
        4 => null,
        5 => JsonValue.Create(Pick(rng, _tokens) + " " + Pick(rng, _tokens)),
        6 => JsonValue.Create(new string((char)rng.Next(0x20, 0x2FFF), rng.Next(0, 300))),
        7 => new JsonObject(),
        8 => new JsonArray(RandomValue(rng, depth + 1), RandomValue(rng, depth + 1)),
        _ => new JsonObject { [Pick(rng, _tokens)] = RandomValue(rng, depth + 1) },
    };

    /// <summary>The text as a tree, when it is JSON a node can hold (no duplicate member names, no lone surrogates).</summary>
    private static JsonNode? TryParseJson(string text)
    {
        var trimmed = text.AsSpan().TrimStart();
        if (trimmed.Length == 0 || trimmed[0] is not ('{' or '['))
        {
            return null;
        }

        try
        {
            var node = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 4096 });
            // A JsonObject reads its members lazily: visiting them all makes duplicate names fail here, not in a mutation.
            _ = JsonSlot.All(node);
            _ = node?.ToJsonString(Compact);
            return node;
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{_seeds.Count} seeds, {_tokens.Count} tokens");
}
