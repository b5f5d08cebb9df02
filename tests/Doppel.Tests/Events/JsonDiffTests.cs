using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.Events;
using Doppel.Twins.Internal;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Doppel.Tests.Events;

/// <summary>The JSON Patch of a Twin.Update event: the operations, pointer escaping, and that applying it to "before" gives "after".</summary>
public sealed class JsonDiffTests
{
    [Fact]
    public void Added_replaced_and_removed_members_become_add_replace_and_remove()
    {
        var patch = Diff("""{"a":1,"b":"x","c":true}""", """{"a":2,"c":true,"d":null}""");
        Assert.Equal("""[{"op":"remove","path":"/b"},{"op":"replace","path":"/a","value":2},{"op":"add","path":"/d","value":null}]""", patch);
    }

    [Fact]
    public void Nested_objects_are_compared_member_by_member_and_other_values_replaced_whole()
    {
        var patch = Diff("""{"o":{"x":1,"y":{"z":1}},"arr":[1,2],"s":{"k":1}}""", """{"o":{"x":1,"y":{"z":2}},"arr":[1,3],"s":5}""");
        Assert.Equal("""[{"op":"replace","path":"/o/y/z","value":2},{"op":"replace","path":"/arr","value":[1,3]},{"op":"replace","path":"/s","value":5}]""", patch);
    }

    [Fact]
    public void Tilde_and_slash_in_names_are_escaped_in_pointers()
    {
        var patch = Diff("""{"a/b":{"c~d":1}}""", """{"a/b":{"c~d":2},"~/":0}""");
        Assert.Equal("""[{"op":"replace","path":"/a~1b/c~0d","value":2},{"op":"add","path":"/~0~1","value":0}]""", patch);
    }

    [Fact]
    public void Equal_objects_give_no_operations_and_skipped_members_are_left_out()
    {
        Assert.Equal("[]", Diff("""{"a":{"b":[1,{"c":2}]}}""", """{"a":{"b":[1,{"c":2}]}}"""));
        Assert.Equal("""[{"op":"replace","path":"/k","value":2}]""", Diff("""{"$etag":"1","k":1}""", """{"$etag":"2","k":2}""", (_, name) => name == "$etag"));
    }

    [Property(MaxTest = 300)]
    public Property Applying_the_patch_to_before_gives_after(int beforeSeed, int afterSeed)
    {
        var before = RandomObject(new Random(beforeSeed), 0);
        // After shares members with before so replace, nested diffs and removes all happen, not only adds.
        var after = Mutate(before, new Random(afterSeed), 0);
        var patch = JsonNode.Parse(Diff(before.ToJsonString(), after.ToJsonString()))!.AsArray();
        var patched = before.DeepClone();
        foreach (var operation in patch)
        {
            var error = JsonNodePatch.Apply(patched, JsonPointer.Split((string)operation!["path"]!), 0, (string)operation["op"]!, operation["value"]);
            if (error is not null)
            {
                return false.Label($"{operation.ToJsonString()} failed: {error}");
            }
        }
        return JsonNode.DeepEquals(patched, after).Label($"before {before.ToJsonString()}\nafter {after.ToJsonString()}\npatch {patch.ToJsonString()}\ngot {patched.ToJsonString()}");
    }

    private static string Diff(string before, string after, Func<string, string, bool>? skip = null)
    {
        using var a = JsonDocument.Parse(before);
        using var b = JsonDocument.Parse(after);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            JsonDiff.Write(writer, a.RootElement, b.RootElement, skip);
            writer.WriteEndArray();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    // Few names, some needing escapes, so that before and after collide often.
    private static readonly string[] Names = ["a", "b", "~", "/", "a~1b", "x/y~0", ""];

    private static JsonObject RandomObject(Random random, int depth)
    {
        var obj = new JsonObject();
        var count = random.Next(0, 5);
        for (var i = 0; i < count; i++)
        {
            obj[Names[random.Next(Names.Length)]] = RandomValue(random, depth + 1);
        }
        return obj;
    }

    private static JsonNode? RandomValue(Random random, int depth) => random.Next(depth < 3 ? 7 : 5) switch
    {
        0 => null,
        1 => JsonValue.Create(random.Next(3)),
        2 => JsonValue.Create(random.Next(2) == 0 ? "s" : "t"),
        3 => JsonValue.Create(random.Next(2) == 0),
        4 => new JsonArray(JsonValue.Create(random.Next(2))),
        _ => RandomObject(random, depth),
    };

    private static JsonObject Mutate(JsonObject before, Random random, int depth)
    {
        var after = new JsonObject();
        foreach (var (name, value) in before)
        {
            switch (random.Next(4))
            {
                case 0: // removed
                    break;
                case 1:
                    after[name] = RandomValue(random, depth + 1);
                    break;
                default:
                    after[name] = value is JsonObject nested ? Mutate(nested, random, depth + 1) : value?.DeepClone();
                    break;
            }
        }
        if (random.Next(3) == 0)
        {
            after[Names[random.Next(Names.Length)]] = RandomValue(random, depth + 1);
        }
        return after;
    }
}
