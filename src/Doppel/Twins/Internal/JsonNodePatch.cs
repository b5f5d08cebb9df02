using System.Text.Json.Nodes;

namespace Doppel.Twins.Internal;

/// <summary>RFC 6902 add/replace/remove inside a mutable JSON value.</summary>
internal static class JsonNodePatch
{
    /// <summary>Applies <paramref name="op"/> at <c>tokens[start..]</c> below <paramref name="root"/>; returns an error message or null.</summary>
    public static string? Apply(JsonNode? root, string[] tokens, int start, string op, JsonNode? value)
    {
        var parent = root;
        for (var i = start; i < tokens.Length - 1; i++)
        {
            if (!TryChild(parent, tokens[i], out parent))
            {
                return PatchScope.PathDoesNotExist;
            }
        }

        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject obj:
                if (op != "add" && !obj.ContainsKey(last))
                {
                    return PatchScope.PathDoesNotExist;
                }

                if (op == "remove")
                {
                    obj.Remove(last);
                }
                else
                {
                    obj[last] = value?.DeepClone();
                }

                return null;
            case JsonArray array:
                if (op == "add" && last == "-")
                {
                    array.Add(value?.DeepClone());
                    return null;
                }

                if (!TryIndex(last, out var index) || index > array.Count || (op != "add" && index == array.Count))
                {
                    return PatchScope.PathDoesNotExist;
                }

                switch (op)
                {
                    case "add":
                        array.Insert(index, value?.DeepClone());
                        break;
                    case "replace":
                        array[index] = value?.DeepClone();
                        break;
                    default:
                        array.RemoveAt(index);
                        break;
                }

                return null;
            default:
                return PatchScope.PathDoesNotExist;
        }
    }

    private static bool TryChild(JsonNode? node, string token, out JsonNode? child)
    {
        child = null;
        return node switch
        {
            JsonObject obj => obj.TryGetPropertyValue(token, out child),
            JsonArray array when TryIndex(token, out var i) && i < array.Count => (child = array[i]) is var _,
            _ => false,
        };
    }

    private static bool TryIndex(string token, out int index)
    {
        index = -1;
        if (token.Length == 0 || (token.Length > 1 && token[0] == '0'))
        {
            return false;
        }

        foreach (var c in token)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return int.TryParse(token, out index);
    }
}
