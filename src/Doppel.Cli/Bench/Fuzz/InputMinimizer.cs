using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Doppel.Cli.Bench.Fuzz;

/// <summary>
/// Shrinks a failing document set while <c>stillFails</c> holds: drops documents, then members, array items and
/// subtrees (replaced by null or by one of their children), then, for text that is not JSON, chunks of characters.
/// Greedy and bounded by a budget of checks; what it returns still fails.
/// </summary>
internal static class InputMinimizer
{
    private static readonly JsonSerializerOptions Compact = new() { MaxDepth = 2048, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static IReadOnlyList<string> Minimize(IReadOnlyList<string> input, Func<IReadOnlyList<string>, bool> stillFails, int budget)
    {
        var current = input.ToList();
        var checks = 0;
        bool Try(List<string> candidate)
        {
            if (checks >= budget)
            {
                return false;
            }

            checks++;
            return stillFails(candidate);
        }

        for (var i = current.Count - 1; i >= 0 && current.Count > 1; i--)
        {
            var without = current.Where((_, k) => k != i).ToList();
            if (Try(without))
            {
                current = without;
            }
        }

        for (var d = 0; d < current.Count; d++)
        {
            current[d] = IsNodeJson(current[d], out var root)
                ? ShrinkTree(current, d, root, Try)
                : ShrinkText(current, d, Try);
        }

        return current;
    }

    private static bool IsNodeJson(string text, out JsonNode? root)
    {
        try
        {
            // A JsonObject reads its members lazily; counting them all makes duplicate member names fail here.
            root = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 2048 });
            var paths = new List<List<object>>();
            Paths(root, [], paths);
            // Escaped lone surrogates parse but do not serialize: such text is shrunk as characters.
            _ = Serialize(root);
            return true;
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            root = null;
            return false;
        }
    }

    private static string ShrinkTree(List<string> set, int d, JsonNode? root, Func<List<string>, bool> attempt)
    {
        var best = Serialize(root);
        var improved = true;
        while (improved)
        {
            improved = false;
            var paths = new List<List<object>>();
            Paths(JsonNode.Parse(best, documentOptions: new JsonDocumentOptions { MaxDepth = 2048 }), [], paths);
            foreach (var path in paths)
            {
                foreach (var candidate in Reductions(best, path))
                {
                    if (candidate.Length >= best.Length)
                    {
                        continue;
                    }

                    var trial = set.ToList();
                    trial[d] = candidate;
                    if (attempt(trial))
                    {
                        best = candidate;
                        set[d] = best;
                        improved = true;
                        break;
                    }
                }

                if (improved)
                {
                    break;
                }
            }
        }

        return best;
    }

    /// <summary>Smaller versions of the document: the node at <paramref name="path"/> removed, nulled, or replaced by one of its children.</summary>
    private static IEnumerable<string> Reductions(string json, List<object> path)
    {
        for (var kind = 0; kind < 4; kind++)
        {
            var root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 2048 });
            var (parent, node) = Locate(root, path);
            switch (kind)
            {
                case 0 when parent is JsonObject o:
                    o.Remove((string)path[^1]);
                    break;
                case 0 when parent is JsonArray a:
                    a.RemoveAt((int)path[^1]);
                    break;
                case 1 when node is not null:
                    root = SetAt(root, parent, path, node is JsonValue v0 && v0.GetValueKind() == JsonValueKind.Number ? JsonValue.Create(0) : null);
                    break;
                case 2 when node is JsonObject { Count: > 0 } o:
                    root = SetAt(root, parent, path, o.First().Value?.DeepClone());
                    break;
                case 2 when node is JsonArray { Count: > 0 } a:
                    root = SetAt(root, parent, path, a[0]?.DeepClone());
                    break;
                case 3 when node is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Length > 8:
                    var s = v.GetValue<string>();
                    root = SetAt(root, parent, path, JsonValue.Create(s[..(s.Length / 2)]));
                    break;
                default:
                    continue;
            }

            yield return Serialize(root);
        }
    }

    private static JsonNode? SetAt(JsonNode? root, JsonNode? parent, List<object> path, JsonNode? value)
    {
        switch (parent)
        {
            case JsonObject o:
                o[(string)path[^1]] = value;
                return root;
            case JsonArray a:
                a[(int)path[^1]] = value;
                return root;
            default:
                return value;
        }
    }

    private static (JsonNode? Parent, JsonNode? Node) Locate(JsonNode? root, List<object> path)
    {
        JsonNode? parent = null;
        var node = root;
        foreach (var step in path)
        {
            parent = node;
            node = step is string key ? node![key] : node![(int)step];
        }

        return (parent, node);
    }

    private static void Paths(JsonNode? node, List<object> path, List<List<object>> paths)
    {
        paths.Add(path);
        if (node is JsonObject o)
        {
            foreach (var p in o)
            {
                Paths(p.Value, [.. path, p.Key], paths);
            }
        }
        else if (node is JsonArray a)
        {
            for (var i = 0; i < a.Count; i++)
            {
                Paths(a[i], [.. path, i], paths);
            }
        }
    }

    private static string ShrinkText(List<string> set, int d, Func<List<string>, bool> attempt)
    {
        var text = set[d];
        for (var chunk = Math.Max(1, text.Length / 2); chunk >= 1; chunk /= 2)
        {
            for (var at = 0; at + chunk <= text.Length;)
            {
                var candidate = text.Remove(at, chunk);
                var trial = set.ToList();
                trial[d] = candidate;
                if (attempt(trial))
                {
                    text = candidate;
                    set[d] = text;
                }
                else
                {
                    at += chunk;
                }
            }
        }

        return text;
    }

    private static string Serialize(JsonNode? node) => node is null ? "null" : node.ToJsonString(Compact);
}
