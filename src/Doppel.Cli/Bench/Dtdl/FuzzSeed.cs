using System.Text.Json;
using System.Text.Json.Nodes;

namespace Doppel.Cli.Bench.Dtdl;

/// <summary>
/// A document set to mutate: parsed trees where the text is JSON a node can hold, the original texts, and whether the
/// set is a valid model (a valid corpus case without options, an ontology, a sample), which rewrites keep valid.
/// </summary>
internal sealed record FuzzSeed(string Origin, IReadOnlyList<JsonNode?> Documents, IReadOnlyList<string> Texts, bool Valid)
{
    public static FuzzSeed FromTexts(string origin, IReadOnlyList<string> texts, bool valid = false) =>
        new(origin, texts.Select(TryParse).ToList(), texts, valid);

    private static JsonNode? TryParse(string text)
    {
        try
        {
            var node = JsonNode.Parse(text);
            Visit(node);
            return node;
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            // Not JSON a node can hold (duplicate member names): the text is kept and gets byte-level damage only.
            return null;
        }
    }

    /// <summary>Enumerates every object's members: a JsonObject reads them lazily, and duplicate names must fail here, not in a mutation.</summary>
    private static void Visit(JsonNode? node)
    {
        if (node is JsonObject o)
        {
            foreach (var member in o)
            {
                Visit(member.Value);
            }
        }
        else if (node is JsonArray a)
        {
            foreach (var item in a)
            {
                Visit(item);
            }
        }
    }
}
