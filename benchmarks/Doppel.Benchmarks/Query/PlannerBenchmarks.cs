using System.Globalization;
using BenchmarkDotNet.Attributes;
using Doppel.Query;
using Doppel.Twins;

namespace Doppel.Benchmarks.Query;

/// <summary>
/// The query planner on a REC-shaped graph (buildings, floors, rooms, sensors; 100,000 twins). Run:
/// <c>dotnet run -c Release --project benchmarks/Doppel.Benchmarks -- --filter *PlannerBenchmarks* --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class PlannerBenchmarks
{
    private const string Space = "dtmi:rec:Space;1";
    private const string Building = "dtmi:rec:Building;1";
    private const string Floor = "dtmi:rec:Floor;1";
    private const string Room = "dtmi:rec:Room;1";
    private const string Sensor = "dtmi:rec:Sensor;1";

    private readonly QueryEngine _engine = new();
    private TwinGraphQuerySource _source = null!;

    [Params(100_000)]
    public int Twins { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var graph = new TwinGraph();
        var buildings = Math.Max(1, Twins / 1000);
        var n = 0;
        for (var b = 0; b < buildings; b++)
        {
            var building = $"building-{b:D4}";
            graph.PutTwin(Twin(building, Building, $$"""{"name":"B{{b}}"}"""));
            for (var f = 0; f < 10; f++)
            {
                var floor = $"{building}-floor-{f:D2}";
                graph.PutTwin(Twin(floor, Floor, $$"""{"level":{{f}}}"""));
                graph.PutRelationship(Rel(building, floor, "hasPart"));
                for (var r = 0; r < 10; r++)
                {
                    var room = $"{floor}-room-{r:D2}";
                    graph.PutTwin(Twin(room, Room, $$"""{"area":{{(r * 7) % 40}}}"""));
                    graph.PutRelationship(Rel(floor, room, "hasPart"));
                    for (var s = 0; s < 9; s++)
                    {
                        var sensor = $"{room}-sensor-{s}";
                        n++;
                        var temperature = (n * 7919 % 4000 / 100.0).ToString(CultureInfo.InvariantCulture);
                        graph.PutTwin(Twin(sensor, Sensor, $$"""{"serial":"S-{{n:D7}}","temperature":{{temperature}}}"""));
                        graph.PutRelationship(Rel(room, sensor, "hosts"));
                    }
                }
            }
        }
        _source = new TwinGraphQuerySource(graph, static dtmi => dtmi == Space ? new HashSet<string> { Space, Building, Floor, Room } : new HashSet<string> { dtmi });
        // Build the property indexes outside the measured runs, as the first query after start-up would.
        ModelAndProperty();
    }

    /// <summary>(a) IS_OF_MODEL and a selective property filter.</summary>
    [Benchmark]
    public int ModelAndProperty() => Run("SELECT * FROM DIGITALTWINS T WHERE IS_OF_MODEL(T, 'dtmi:rec:Sensor;1') AND T.serial = 'S-0004242'");

    /// <summary>(b) A three-hop MATCH from one building.</summary>
    [Benchmark]
    public int MatchThreeHops() => Run("SELECT F, R, S FROM DIGITALTWINS MATCH (B)-[:hasPart]->(F)-[:hasPart]->(R)-[:hosts]->(S) WHERE B.$dtId = 'building-0042'");

    /// <summary>(c) COUNT() of a model and its subtypes.</summary>
    [Benchmark]
    public int CountModelAndSubtypes() => Run("SELECT COUNT() FROM DIGITALTWINS WHERE IS_OF_MODEL('dtmi:rec:Space;1')");

    /// <summary>(d) ORDER BY with TOP(100).</summary>
    [Benchmark]
    public int OrderByTop() => Run("SELECT TOP(100) T.$dtId, T.temperature FROM DIGITALTWINS T WHERE IS_OF_MODEL(T, 'dtmi:rec:Sensor;1') ORDER BY T.temperature DESC");

    /// <summary>(e) Ascending ORDER BY with TOP(100): twins without the property sort first, so the candidates are scanned for them.</summary>
    [Benchmark]
    public int OrderByTopAscending() => Run("SELECT TOP(100) T.$dtId, T.temperature FROM DIGITALTWINS T WHERE IS_OF_MODEL(T, 'dtmi:rec:Sensor;1') ORDER BY T.temperature");

    /// <summary>(f) ORDER BY over a filter that the indexes narrow to a few candidates: they are sorted with a bounded heap.</summary>
    [Benchmark]
    public int OrderBySelective() => Run("SELECT T.$dtId FROM DIGITALTWINS T WHERE STARTSWITH(T.$dtId, 'building-0042-floor-03-room-0') AND IS_OF_MODEL(T, 'dtmi:rec:Sensor;1') ORDER BY T.temperature DESC");

    private int Run(string query)
    {
        var rows = 0;
        string? token = null;
        do
        {
            var page = _engine.Execute(token is null ? query : null, _source, 1000, token).Value!;
            rows += page.Rows.Count;
            token = page.ContinuationToken;
        }
        while (token is not null);
        return rows;
    }

    private static TwinDocument Twin(string id, string model, string properties) =>
        TwinDocument.FromStoredJson($$$"""{"$dtId":"{{{id}}}","$etag":"W/\"e\"",{{{properties[1..^1]}}},"$metadata":{"$model":"{{{model}}}","$lastUpdateTime":"2025-01-01T00:00:00Z"}}""");

    private static RelationshipDocument Rel(string source, string target, string name) =>
        RelationshipDocument.FromStoredJson($$"""{"$relationshipId":"{{target}}-{{name}}","$etag":"W/\"e\"","$sourceId":"{{source}}","$targetId":"{{target}}","$relationshipName":"{{name}}"}""");
}
