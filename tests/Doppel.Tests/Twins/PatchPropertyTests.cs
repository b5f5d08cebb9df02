using System.Text.Json.Nodes;
using Doppel.Twins;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static Doppel.Tests.Twins.Fx;

namespace Doppel.Tests.Twins;

/// <summary>Random valid patch sequences applied to a twin agree with a naive RFC 6902 applier over a plain JsonObject.</summary>
public sealed class PatchPropertyTests
{
    private static readonly string[] TopLevel = ["temperature", "name", "count", "tags", "info"];

    [Property(MaxTest = 300)]
    public Property Random_valid_patch_sequences_match_a_naive_JsonObject_reference(int[] steps)
    {
        var twin = Room();
        var reference = new JsonObject();
        var ops = new JsonArray();
        var now = T0;
        for (var i = 0; i < steps.Length; i++)
        {
            var op = NextOperation(reference, steps[i]);
            ApplyNaively(reference, op);
            ops.Add(op);
            if (ops.Count > (steps[i] & 0x3) || i == steps.Length - 1)
            {
                now = now.AddSeconds(1);
                var result = Ops.Patch(twin, JsonPatchDocument.Parse(ops.ToJsonString()).Value!, now, E1);
                if (!result.IsSuccess)
                {
                    return false.Label($"patch {ops.ToJsonString()} failed: {result.Error}");
                }

                twin = result.Value;
                ops = [];
            }
        }

        var actual = twin.ToJson();
        var metadata = actual["$metadata"]!.AsObject();
        foreach (var name in new[] { "$dtId", "$etag", "$metadata", "thermostat" })
        {
            actual.Remove(name);
        }

        var metadataMatches = reference.Select(p => p.Key).All(metadata.ContainsKey)
            && metadata.Count(m => !m.Key.StartsWith('$')) == reference.Count;
        return (JsonNode.DeepEquals(actual, reference) && metadataMatches)
            .Label($"twin {actual.ToJsonString()} vs reference {reference.ToJsonString()}");
    }

    /// <summary>Turns a random number into an operation that is valid against the current reference state.</summary>
    private static JsonObject NextOperation(JsonObject state, int step)
    {
        var v = step >> 5;
        var kind = (step >> 2) & 0x7;
        var present = TopLevel.Where(state.ContainsKey).ToArray();
        switch (kind)
        {
            case 0:
                return Op("add", "/temperature", v * 0.5);
            case 1:
                return Op(state.ContainsKey("count") ? "replace" : "add", "/count", v);
            case 2 when present.Length > 0:
                return Op("remove", "/" + present[Math.Abs(v) % present.Length], null);
            case 3:
                return Op("add", "/name", $"n/{v}~");
            case 4 when state["tags"] is JsonObject:
                return Op("add", $"/tags/{JsonEscape($"k/{Math.Abs(v) % 4}")}", v);
            case 5 when state["tags"] is JsonObject tags && tags.Count > 0:
                return Op("remove", $"/tags/{JsonEscape(tags.ElementAt(Math.Abs(v) % tags.Count).Key)}", null);
            case 6 when state["info"] is JsonObject info:
                return (v & 1) == 0 ? Op("add", "/info/floor", v) : Op(info.ContainsKey("city") ? "replace" : "add", "/info/city", $"c{v}");
            case 4 or 5:
                return Op("add", "/tags", new JsonObject { ["k~0"] = v });
            default:
                return Op("add", "/info", new JsonObject { ["city"] = "x" });
        }
    }

    private static string JsonEscape(string token) => token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    private static JsonObject Op(string op, string path, JsonNode? value)
    {
        var o = new JsonObject { ["op"] = op, ["path"] = path };
        if (op != "remove")
        {
            o["value"] = value;
        }

        return o;
    }

    private static void ApplyNaively(JsonObject root, JsonObject op)
    {
        var tokens = ((string)op["path"]!)[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();
        var parent = root;
        foreach (var token in tokens[..^1])
        {
            parent = parent[token]!.AsObject();
        }

        if ((string)op["op"]! == "remove")
        {
            parent.Remove(tokens[^1]);
        }
        else
        {
            parent[tokens[^1]] = op["value"]?.DeepClone();
        }
    }
}
