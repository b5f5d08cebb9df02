using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.Modeling;

namespace Doppel.Packs;

/// <summary>A pack as registered: its name and everything it added through <see cref="PackBuilder"/>.</summary>
public sealed class Pack
{
    private readonly IReadOnlyList<Func<Stream>> _models;
    private readonly Lazy<IReadOnlyList<ModelDocument>> _modelDocuments;

    internal Pack(IPack source, IReadOnlyList<Func<Stream>> models, IReadOnlyList<IScenarioKind> scenarioKinds, IReadOnlyList<IExperimentKind> experimentKinds,
        IReadOnlyList<PackSample> samples, IReadOnlyList<IPackDemo> demos, IReadOnlyList<PackVerb> verbs, IReadOnlyList<ConsolePage> consolePages, IReadOnlyList<TwinFollower> followers)
    {
        Source = source;
        Name = source.Name;
        Description = source.Description;
        _models = models;
        ScenarioKinds = scenarioKinds;
        ExperimentKinds = experimentKinds;
        Samples = samples;
        Demos = demos;
        Verbs = verbs;
        ConsolePages = consolePages;
        Followers = followers;
        _modelDocuments = new Lazy<IReadOnlyList<ModelDocument>>(ReadModels);
    }

    public string Name { get; }

    public string Description { get; }

    /// <summary>The pack object that registered all this.</summary>
    public IPack Source { get; }

    public IReadOnlyList<IScenarioKind> ScenarioKinds { get; }

    public IReadOnlyList<IExperimentKind> ExperimentKinds { get; }

    public IReadOnlyList<PackSample> Samples { get; }

    public IReadOnlyList<IPackDemo> Demos { get; }

    public IReadOnlyList<PackVerb> Verbs { get; }

    /// <summary>End-to-end benchmarks (<c>doppel bench NAME</c>).</summary>
    public IReadOnlyList<PackVerb> Benchmarks { get; internal init; } = [];

    /// <summary>Pages the pack adds to the web console.</summary>
    public IReadOnlyList<ConsolePage> ConsolePages { get; }

    /// <summary>Live logic the pack runs on twins of its models (<see cref="ITwinFollower"/>).</summary>
    public IReadOnlyList<TwinFollower> Followers { get; }

    /// <summary>A console page of this pack, by name.</summary>
    public ConsolePage? FindConsolePage(string name) => ConsolePages.FirstOrDefault(p => p.Name == name);

    /// <summary>Where the console loads a page's module from.</summary>
    public string ConsolePageModule(ConsolePage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return $"/console/packs/{Name}/{page.Name}.js";
    }

    /// <summary>The pack's DTDL models, one document per interface (read once, when first asked for).</summary>
    public IReadOnlyList<ModelDocument> Models => _modelDocuments.Value;

    /// <summary>The <c>@id</c> of each model.</summary>
    public IReadOnlyList<string> ModelIds => [.. Models.Select(m => ModelId(m.Json))];

    /// <summary>What the pack registers, as <c>GET /doppel/packs</c> lists it.</summary>
    public JsonObject Describe() => new()
    {
        ["name"] = Name,
        ["description"] = Description,
        ["models"] = new JsonArray([.. ModelIds.Select(id => (JsonNode)id)]),
        ["scenarioKinds"] = new JsonArray([.. ScenarioKinds.Select(k => (JsonNode)new JsonObject
        {
            ["name"] = k.Name,
            ["description"] = k.Description,
            ["twinModel"] = k.TwinModel,
            ["keys"] = Names(k.Keys),
            ["run"] = k.RunDefaults.ToJson(),
            ["view"] = k.View.ToJson(),
        })]),
        ["experimentKinds"] = new JsonArray([.. ExperimentKinds.Select(k => (JsonNode)new JsonObject
        {
            ["name"] = k.Name,
            ["description"] = k.Description,
            ["keys"] = Names(k.Keys),
            ["run"] = k.RunDefaults.ToJson(),
            ["view"] = k.View.ToJson(),
        })]),
        ["samples"] = new JsonArray([.. Samples.Select(s => (JsonNode)new JsonObject { ["name"] = s.Name, ["description"] = s.Description })]),
        ["demos"] = new JsonArray([.. Demos.Select(d => (JsonNode)new JsonObject { ["name"] = d.Name, ["description"] = d.Description, ["sample"] = d.Sample, ["default"] = d.IsDefault })]),
        ["verbs"] = new JsonArray([.. Verbs.Select(v => (JsonNode)new JsonObject { ["name"] = v.Name, ["description"] = v.Description })]),
        ["benchmarks"] = new JsonArray([.. Benchmarks.Select(b => (JsonNode)new JsonObject { ["name"] = b.Name, ["description"] = b.Description })]),
        ["consolePages"] = new JsonArray([.. ConsolePages.Select(p => (JsonNode)new JsonObject { ["name"] = p.Name, ["title"] = p.Title, ["modelId"] = p.ModelId, ["module"] = ConsolePageModule(p) })]),
        ["followers"] = new JsonArray([.. Followers.Select(f => (JsonNode)new JsonObject { ["name"] = f.Name, ["description"] = f.Description, ["models"] = Names(f.Models) })]),
    };

    private static JsonArray Names(IEnumerable<string> names) => new([.. names.Select(n => (JsonNode)n)]);

    private IReadOnlyList<ModelDocument> ReadModels()
    {
        var documents = new List<ModelDocument>();
        foreach (var open in _models)
        {
            using var stream = open();
            using var json = JsonDocument.Parse(stream);
            if (json.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidOperationException($"Pack '{Name}': its models must be a JSON array of DTDL interfaces.");
            }
            foreach (var model in json.RootElement.EnumerateArray())
            {
                documents.Add(new ModelDocument($"{Name}:models[{documents.Count}]", model.GetRawText()));
            }
        }
        return documents;
    }

    private string ModelId(string json)
    {
        using var model = JsonDocument.Parse(json);
        return model.RootElement.TryGetProperty("@id", out var id) && id.ValueKind == JsonValueKind.String
            ? id.GetString()!
            : throw new InvalidOperationException($"Pack '{Name}': a model has no '@id'.");
    }
}
