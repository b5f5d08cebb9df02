using System.Text.Json.Nodes;

namespace Doppel.Cli.Bench.Fuzz;

/// <summary>A place in a JSON tree a mutation can change: a node with its parent and its key (in an object) or index (in an array).</summary>
internal readonly record struct JsonSlot(JsonNode? Node, JsonNode? Parent, string? Key, int Index)
{
    /// <summary>Every place of the tree, the root first, down to 40 levels.</summary>
    public static List<JsonSlot> All(JsonNode? root)
    {
        var slots = new List<JsonSlot>();
        Collect(root, null, null, -1, slots, 0);
        return slots;
    }

    private static void Collect(JsonNode? node, JsonNode? parent, string? key, int index, List<JsonSlot> slots, int depth)
    {
        slots.Add(new JsonSlot(node, parent, key, index));
        if (depth > 40)
        {
            return;
        }

        if (node is JsonObject o)
        {
            foreach (var p in o.ToList())
            {
                Collect(p.Value, o, p.Key, -1, slots, depth + 1);
            }
        }
        else if (node is JsonArray a)
        {
            for (var i = 0; i < a.Count; i++)
            {
                Collect(a[i], a, null, i, slots, depth + 1);
            }
        }
    }
}
