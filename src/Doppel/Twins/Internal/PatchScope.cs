using System.Text.Json;
using System.Text.Json.Nodes;

namespace Doppel.Twins.Internal;

/// <summary>The properties of one twin, component or relationship while a patch is applied: an untouched base plus pending edits.</summary>
internal sealed class PatchScope(Dictionary<string, PropertyState> baseProperties, bool replaced = false)
{
    public const string PathDoesNotExist = "path does not exist";

    /// <summary>One empty property set shared by every empty scope and committed document (they never change a committed set).</summary>
    public static readonly Dictionary<string, PropertyState> NoProperties = new(0, StringComparer.Ordinal);

    public Dictionary<string, PropertyState> Base { get; } = baseProperties;

    /// <summary>True when the whole scope was replaced (a component given as a whole), so everything in it is new.</summary>
    public bool Replaced { get; } = replaced;

    public Dictionary<string, Pending>? Pending { get; private set; }

    /// <summary>sourceTime edits by property; null clears.</summary>
    public Dictionary<string, DateTimeOffset?>? SourceTimes { get; private set; }

    public bool IsTouched => Replaced || Pending is not null || SourceTimes is not null;

    public bool Exists(string name) =>
        Pending is not null && Pending.TryGetValue(name, out var p) ? !p.Removed : Base.ContainsKey(name);

    public void Set(string name, JsonNode? value) => (Pending ??= new(StringComparer.Ordinal))[name] = new Pending(value, Removed: value is null);

    /// <summary>Sets an immutable value as is (not null), without a mutable copy: a create's values go straight to the document.</summary>
    public void Set(string name, JsonElement value) => (Pending ??= new(StringComparer.Ordinal))[name] = new Pending(null, Removed: false, value);

    public void SetSourceTime(string name, DateTimeOffset? time) => (SourceTimes ??= new(StringComparer.Ordinal))[name] = time;

    /// <summary>Applies one operation whose property name is <c>tokens[start]</c>; returns an error message or null.</summary>
    public string? Apply(string op, string[] tokens, int start, JsonNode? value)
    {
        var name = tokens[start];
        if (tokens.Length == start + 1)
        {
            switch (op)
            {
                case "add":
                    if (value is not null || Exists(name))
                    {
                        Set(name, value?.DeepClone());
                    }

                    return null;
                case "replace":
                    if (!Exists(name))
                    {
                        return PathDoesNotExist;
                    }

                    Set(name, value?.DeepClone());
                    return null;
                default:
                    if (!Exists(name))
                    {
                        return PathDoesNotExist;
                    }

                    Set(name, null);
                    return null;
            }
        }

        if (!Exists(name))
        {
            return PathDoesNotExist;
        }

        Pending ??= new(StringComparer.Ordinal);
        if (!Pending.TryGetValue(name, out var pending) || pending.Node is null)
        {
            pending = new Pending(JsonText.ToNode(pending is null ? Base[name].Value : pending.Element), Removed: false);
            Pending[name] = pending;
        }

        return JsonNodePatch.Apply(pending.Node, tokens, start + 1, op, value);
    }

    /// <summary>The committed properties: edits converted to immutable values (stamped <paramref name="now"/>) and checked by <paramref name="check"/>.</summary>
    public string? Commit(DateTimeOffset now, bool checkAll, Func<string, JsonElement, string?> check, out Dictionary<string, PropertyState> result)
    {
        if (!IsTouched && !checkAll)
        {
            result = Base;
            return null;
        }

        // Sized up front: growing by rehash was a visible share of a bulk import, and the slack would stay in the document.
        result = Replaced ? new(Pending?.Count ?? 0, StringComparer.Ordinal) : new(Base, StringComparer.Ordinal);
        if (Pending is not null)
        {
            foreach (var (name, p) in Pending)
            {
                if (p.Removed)
                {
                    result.Remove(name);
                    continue;
                }

                int size;
                JsonElement element;
                if (p.Node is null)
                {
                    element = p.Element;
                    size = JsonText.SizeOf(element);
                }
                else
                {
                    element = JsonText.ToElement(p.Node, out size);
                }

                if (check(name, element) is { } error)
                {
                    return error;
                }

                result[name] = new PropertyState(element, size, now, null);
            }
        }

        if (SourceTimes is not null)
        {
            foreach (var (name, time) in SourceTimes)
            {
                if (!result.TryGetValue(name, out var state))
                {
                    return $"sourceTime is given for property '{name}', which has no value.";
                }

                result[name] = state with { SourceTime = time };
            }
        }

        if (checkAll)
        {
            foreach (var (name, state) in result)
            {
                if ((Pending is null || !Pending.ContainsKey(name)) && check(name, state.Value) is { } error)
                {
                    return error;
                }
            }
        }

        if (result.Count == 0)
        {
            result = NoProperties;
        }

        return null;
    }
}

/// <summary>A property's new value (a private mutable copy, or an immutable <see cref="Element"/> when <see cref="Node"/> is null) or its removal.</summary>
internal sealed record Pending(JsonNode? Node, bool Removed, JsonElement Element = default);
