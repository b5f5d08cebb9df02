using System.Text.Json.Nodes;
using Doppel.Modeling;
using Doppel.Query;
using Doppel.Twins;

namespace Doppel.Cli.Bench.Fuzz;

/// <summary>
/// A small real twin graph for the targets to run accepted inputs against: models parsed by the DTDL parser (inheritance,
/// a component, a relationship with a property, units, maps, objects, arrays, enums), twins and relationships made by
/// <see cref="TwinOperations"/> as the API makes them.
/// </summary>
internal sealed class FuzzTwins
{
    public const string Space = "dtmi:fuzz:Space;1";
    public const string Room = "dtmi:fuzz:Room;1";
    public const string Floor = "dtmi:fuzz:Floor;1";
    public const string Thermostat = "dtmi:fuzz:Thermostat;1";

    /// <summary>The models, as a user would upload them.</summary>
    public const string Models = """
        [
          {"@context":"dtmi:dtdl:context;3","@id":"dtmi:fuzz:Space;1","@type":"Interface","contents":[
            {"@type":"Property","name":"name","schema":"string","writable":true},
            {"@type":"Property","name":"tags","schema":{"@type":"Map","mapKey":{"name":"k","schema":"string"},"mapValue":{"name":"v","schema":"string"}},"writable":true},
            {"@type":"Relationship","name":"contains","properties":[{"@type":"Property","name":"since","schema":"dateTime","writable":true}]}]},
          {"@context":"dtmi:dtdl:context;3","@id":"dtmi:fuzz:Thermostat;1","@type":"Interface","contents":[
            {"@type":"Property","name":"setpoint","schema":"double","writable":true},
            {"@type":"Telemetry","name":"t","schema":"double"}]},
          {"@context":["dtmi:dtdl:context;3","dtmi:dtdl:extension:quantitativeTypes;1"],"@id":"dtmi:fuzz:Room;1","@type":"Interface","extends":"dtmi:fuzz:Space;1","contents":[
            {"@type":["Property","Temperature"],"name":"temperature","schema":"double","unit":"degreeCelsius","writable":true},
            {"@type":"Property","name":"occupied","schema":"boolean","writable":true},
            {"@type":"Property","name":"capacity","schema":"integer","writable":true},
            {"@type":"Property","name":"mode","schema":{"@type":"Enum","valueSchema":"string","enumValues":[{"name":"eco","enumValue":"eco"},{"name":"comfort","enumValue":"comfort"}]},"writable":true},
            {"@type":"Property","name":"location","schema":{"@type":"Object","fields":[{"name":"x","schema":"double"},{"name":"y","schema":"double"}]},"writable":true},
            {"@type":"Property","name":"readings","schema":{"@type":"Array","elementSchema":"double"},"writable":true},
            {"@type":["Telemetry","Temperature"],"name":"temp","schema":"double","unit":"degreeCelsius"},
            {"@type":"Telemetry","name":"humidity","schema":"double"},
            {"@type":"Telemetry","name":"status","schema":"string"},
            {"@type":"Component","name":"thermostat","schema":"dtmi:fuzz:Thermostat;1"}]},
          {"@context":"dtmi:dtdl:context;3","@id":"dtmi:fuzz:Floor;1","@type":"Interface","extends":"dtmi:fuzz:Space;1","contents":[
            {"@type":"Property","name":"level","schema":"integer","writable":true}]}
        ]
        """;

    public static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private FuzzTwins(ModelCatalog catalog, TwinOperations operations, TwinGraph graph)
    {
        Catalog = catalog;
        Operations = operations;
        Graph = graph;
        Source = new TwinGraphQuerySource(graph, ModelAndSubtypes);
    }

    public ModelCatalog Catalog { get; }

    public TwinOperations Operations { get; }

    public TwinGraph Graph { get; }

    public IQuerySource Source { get; }

    public TwinDocument Twin(string id) => Graph.TryGetTwin(id, out var twin) ? twin : throw new InvalidOperationException($"No twin {id}.");

    /// <summary>The model and its descendants as the catalog knows them; empty for a model it does not hold.</summary>
    public IReadOnlySet<string> ModelAndSubtypes(string dtmi) =>
        Catalog.Get(new Dtmi(dtmi)) is null ? Unknown : Catalog.SelfAndDescendants(new Dtmi(dtmi)).Select(d => d.Value).ToHashSet(StringComparer.Ordinal);

    private static readonly IReadOnlySet<string> Unknown = new HashSet<string>();

    /// <summary>Two floors and four rooms, a floor containing each room.</summary>
    public static FuzzTwins Create()
    {
        var catalog = new ModelCatalog();
        var added = catalog.Add([new ModelDocument("fuzz-models.json", Models)], Now);
        if (!added.IsSuccess)
        {
            throw new InvalidOperationException($"The fuzz models do not parse: {added.Error.Message}");
        }

        var operations = new TwinOperations(catalog);
        var graph = new TwinGraph();
        void Put(string id, string body)
        {
            var twin = operations.Create(id, JsonNode.Parse(body)!.AsObject(), Now, "W/\"1\"");
            graph.PutTwin(twin.IsSuccess ? twin.Value : throw new InvalidOperationException($"Twin {id}: {twin.Error.Message}"));
        }

        Put("floor-1", """{"$metadata":{"$model":"dtmi:fuzz:Floor;1"},"name":"Ground","level":0,"tags":{"wing":"north"}}""");
        Put("floor-2", """{"$metadata":{"$model":"dtmi:fuzz:Floor;1"},"name":"First","level":1}""");
        for (var i = 1; i <= 4; i++)
        {
            Put($"room-{i}", $$"""
                {"$metadata":{"$model":"dtmi:fuzz:Room;1"},"name":"Room {{i}}","temperature":{{18 + i}}.5,"occupied":{{(i % 2 == 0 ? "true" : "false")}},
                 "capacity":{{i * 4}},"mode":"{{(i % 2 == 0 ? "eco" : "comfort")}}","location":{"x":{{i}},"y":2.5},"readings":[1.5,{{i}}],
                 "tags":{"kind":"office","n":"{{i}}" },"thermostat":{"$metadata":{},"setpoint":21} }
                """);
            var source = graph.TryGetTwin($"floor-{(i + 1) / 2}", out var floor) ? floor : null!;
            var relationship = operations.CreateRelationship(source, $"contains-{i}",
                JsonNode.Parse($$"""{"$targetId":"room-{{i}}","$relationshipName":"contains","since":"2024-0{{i}}-01T00:00:00Z"}""")!.AsObject(),
                graph.TryGetTwin($"room-{i}", out var room) ? room : null, 0, "W/\"1\"");
            graph.PutRelationship(relationship.IsSuccess ? relationship.Value : throw new InvalidOperationException($"Relationship {i}: {relationship.Error.Message}"));
        }

        return new FuzzTwins(catalog, operations, graph);
    }
}
