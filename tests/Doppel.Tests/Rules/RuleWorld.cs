using System.Text.Json.Nodes;
using Doppel.History;
using Doppel.Ingest;
using Doppel.Modeling;
using Doppel.Rules;
using Doppel.Twins;
using Microsoft.Extensions.Time.Testing;

namespace Doppel.Tests.Rules;

/// <summary>A twin graph, its models and a rule engine on a fake clock: one line per step of a rule test.</summary>
internal sealed class RuleWorld : IDisposable
{
    public const string Machine = "dtmi:rules:Machine;1";
    public const string HotMachine = "dtmi:rules:HotMachine;1";
    public const string Pipe = "dtmi:rules:Pipe;1";

    public static readonly DateTimeOffset Start = new(2026, 5, 1, 8, 0, 0, TimeSpan.Zero);

    private readonly TwinOperations _operations;

    public RuleWorld(LiveTelemetry? live = null, RuleEngineOptions? options = null)
    {
        var added = Models.Add(
        [
            new ModelDocument("machine", $$"""
                {"@context":"dtmi:dtdl:context;3","@id":"{{Machine}}","@type":"Interface","contents":[
                  {"@type":"Telemetry","name":"temperature","schema":"double"},
                  {"@type":"Telemetry","name":"pressure","schema":"double"},
                  {"@type":"Property","name":"limit","schema":"double","writable":true},
                  {"@type":"Relationship","name":"feeds","target":"{{Pipe}}"}]}
                """),
            new ModelDocument("hot", $$"""{"@context":"dtmi:dtdl:context;3","@id":"{{HotMachine}}","@type":"Interface","extends":"{{Machine}}"}"""),
            new ModelDocument("pipe", $$"""
                {"@context":"dtmi:dtdl:context;3","@id":"{{Pipe}}","@type":"Interface","contents":[{"@type":"Property","name":"rating","schema":"double","writable":true}]}
                """),
        ], Start);
        Assert.True(added.IsSuccess, added.Error?.ToString());
        _operations = new TwinOperations(Models, new TwinLimits());
        Engine = new RuleEngine(Graph, Models, Time, Changes.Add, options, live);
    }

    public FakeTimeProvider Time { get; } = new(Start);

    public ModelCatalog Models { get; } = new();

    public TwinGraph Graph { get; } = new();

    public RuleEngine Engine { get; }

    public List<AlertChange> Changes { get; } = [];

    public IEnumerable<string> Types => Changes.Select(c => c.Type["doppel.alert.".Length..]);

    public AlertChange Last => Changes[^1];

    public AlertRule Rule(string id, string json)
    {
        var rule = AlertRule.Parse(id, json, dtmi => Models.SelfAndDescendants(new Dtmi(dtmi)).Select(m => m.Value).ToHashSet());
        Assert.True(rule.IsSuccess, rule.Error?.ToString());
        var stamped = rule.Value.Stamped("e", Time.GetUtcNow(), Time.GetUtcNow());
        Engine.Put(stamped);
        return stamped;
    }

    public TwinDocument Twin(string id, string model = Machine, string properties = "")
    {
        var created = _operations.Create(id, JsonNode.Parse($$"""{"$metadata":{"$model":"{{model}}"}{{properties}}}""")!.AsObject(), Time.GetUtcNow(), "e");
        Assert.True(created.IsSuccess, created.Error?.ToString());
        Graph.TryGetTwin(id, out var before);
        Graph.PutTwin(created.Value);
        Engine.OnTwinChanged(before, created.Value);
        return created.Value;
    }

    public void Set(string id, string property, double value)
    {
        Assert.True(Graph.TryGetTwin(id, out var current));
        var patch = JsonPatchDocument.Parse($$"""[{"op":"add","path":"/{{property}}","value":{{value}}}]""");
        var patched = _operations.Patch(current, patch.Value!, Time.GetUtcNow(), "e2");
        Assert.True(patched.IsSuccess, patched.Error?.ToString());
        Graph.PutTwin(patched.Value);
        Engine.OnTwinChanged(current, patched.Value);
    }

    public void Delete(string id)
    {
        Assert.True(Graph.TryGetTwin(id, out var current));
        Graph.RemoveTwin(id);
        Engine.OnTwinChanged(current, null);
    }

    public void Relate(string source, string target, string name = "feeds")
    {
        Assert.True(Graph.TryGetTwin(source, out var from));
        Graph.TryGetTwin(target, out var to);
        var relationship = _operations.CreateRelationship(from, "r-" + target, JsonNode.Parse($$"""{"$relationshipName":"{{name}}","$targetId":"{{target}}"}""")!.AsObject(), to, 0, "e");
        Assert.True(relationship.IsSuccess, relationship.Error?.ToString());
        Graph.PutRelationship(relationship.Value);
        Engine.OnRelationshipChanged(source);
    }

    /// <summary>A telemetry reading arriving now.</summary>
    public void Send(string id, string name, double value)
    {
        Assert.True(Graph.TryGetTwin(id, out var twin));
        Engine.OnPoints(twin, [new HistoryPoint(id, name, Time.GetUtcNow(), HistoryKind.Telemetry, value, null)]);
    }

    public void Advance(TimeSpan by) => Time.Advance(by);

    public void Dispose() => Engine.Dispose();
}
