using System.Text.Json.Nodes;
using Doppel.Query;

namespace Doppel.Tests.Query;

/// <summary>Twins in a sorted dictionary and a single-inheritance model table: the simplest <see cref="IQuerySource"/>.</summary>
internal sealed class InMemoryQuerySource : IQuerySource
{
    private readonly SortedDictionary<string, JsonObject> _twins = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> _baseModel = new(StringComparer.Ordinal);

    public int Scanned { get; private set; }

    public InMemoryQuerySource Model(string dtmi, string? extends = null)
    {
        _baseModel[dtmi] = extends;
        return this;
    }

    public InMemoryQuerySource Twin(string id, string model, string properties = "{}")
    {
        var twin = new JsonObject
        {
            ["$dtId"] = id,
            ["$etag"] = "W/\"" + id + "\"",
            ["$metadata"] = new JsonObject { ["$model"] = model },
        };
        foreach (var (name, value) in JsonNode.Parse(properties)!.AsObject())
        {
            twin[name] = value?.DeepClone();
        }
        return Add(twin);
    }

    public InMemoryQuerySource Add(JsonObject twin)
    {
        _twins[twin["$dtId"]!.GetValue<string>()] = twin;
        return this;
    }

    public void Remove(string id) => _twins.Remove(id);

    public IEnumerable<JsonObject> All => _twins.Values;

    public IEnumerable<JsonObject> TwinsAfter(string? afterDtId)
    {
        foreach (var (id, twin) in _twins)
        {
            if (afterDtId is null || string.CompareOrdinal(id, afterDtId) > 0)
            {
                Scanned++;
                yield return twin;
            }
        }
    }

    public IReadOnlySet<string> ModelAndSubtypes(string dtmi)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        foreach (var model in _baseModel.Keys)
        {
            for (string? m = model; m is not null; m = _baseModel.GetValueOrDefault(m))
            {
                if (m == dtmi)
                {
                    result.Add(model);
                    break;
                }
            }
        }
        return result;
    }
}
