using System.Text.Json.Nodes;
using Doppel.Query;
using Doppel.Twins;

namespace Doppel.Tests.Query;

/// <summary>JOIN, MATCH, FROM RELATIONSHIPS, ORDER BY and the index planner over a live <see cref="TwinGraph"/>.</summary>
public sealed class QueryGraphTests
{
    private const string Space = "dtmi:test:Space;1";
    private const string Building = "dtmi:test:Building;1";
    private const string Floor = "dtmi:test:Floor;1";
    private const string Room = "dtmi:test:Room;1";
    private const string Sensor = "dtmi:test:Sensor;1";

    internal static TwinDocument Twin(string id, string model, string properties = "{}")
    {
        var json = JsonNode.Parse(properties)!.AsObject();
        json["$dtId"] = id;
        json["$etag"] = "W/\"e\"";
        json["$metadata"] = new JsonObject { ["$model"] = model, ["$lastUpdateTime"] = "2024-01-01T00:00:00Z" };
        return TwinDocument.FromStoredJson(json.ToJsonString());
    }

    internal static RelationshipDocument Rel(string source, string id, string target, string name, string properties = "{}")
    {
        var json = JsonNode.Parse(properties)!.AsObject();
        json["$relationshipId"] = id;
        json["$etag"] = "W/\"e\"";
        json["$sourceId"] = source;
        json["$targetId"] = target;
        json["$relationshipName"] = name;
        return RelationshipDocument.FromStoredJson(json.ToJsonString());
    }

    internal static IReadOnlySet<string> Subtypes(string dtmi) => dtmi switch
    {
        Space => new HashSet<string> { Space, Building, Floor, Room },
        _ => new HashSet<string> { dtmi },
    };

    // B1 -contains-> F1, F2; F1 -contains-> R1, R2; F2 -contains-> R3; R1 -hosts-> S1 (length 10); R3 -hosts-> S2; S2 -feeds-> F2 (a cycle).
    private static TwinGraph Building1()
    {
        var graph = new TwinGraph();
        graph.PutTwin(Twin("B1", Building, """{"name":"Main"}"""));
        graph.PutTwin(Twin("F1", Floor, """{"name":"Ground","level":0}"""));
        graph.PutTwin(Twin("F2", Floor, """{"name":"First","level":1}"""));
        graph.PutTwin(Twin("R1", Room, """{"name":"Lobby","temperature":21}"""));
        graph.PutTwin(Twin("R2", Room, """{"name":"Office","temperature":55}"""));
        graph.PutTwin(Twin("R3", Room, """{"name":"Lab","temperature":60}"""));
        graph.PutTwin(Twin("S1", Sensor, """{"temperature":70}"""));
        graph.PutTwin(Twin("S2", Sensor, """{"temperature":40}"""));
        graph.PutRelationship(Rel("B1", "b1-f1", "F1", "contains"));
        graph.PutRelationship(Rel("B1", "b1-f2", "F2", "contains"));
        graph.PutRelationship(Rel("F1", "f1-r1", "R1", "contains"));
        graph.PutRelationship(Rel("F1", "f1-r2", "R2", "contains"));
        graph.PutRelationship(Rel("F2", "f2-r3", "R3", "contains"));
        graph.PutRelationship(Rel("R1", "r1-s1", "S1", "hosts", """{"length":10}"""));
        graph.PutRelationship(Rel("R3", "r3-s2", "S2", "hosts", """{"length":3}"""));
        graph.PutRelationship(Rel("S2", "s2-f2", "F2", "feeds"));
        return graph;
    }

    private static readonly TwinGraphQuerySource Source = new(Building1(), Subtypes);

    private static string Rows(string query, IQuerySource? source = null, int pageSize = 1000) =>
        string.Join("\n", (source ?? Source).All(query, pageSize).Select(r => r.ToJsonString()));

    private static string Ids(JsonNode row, params string[] aliases) =>
        string.Join(",", aliases.Select(a => row[a]?["$dtId"]?.GetValue<string>() ?? row[a]?["$relationshipId"]?.GetValue<string>()));

    private static string Pairs(string query, params string[] aliases) =>
        string.Join(" ", Source.All(query).Select(r => Ids(r, aliases)));

    [Fact]
    public void Join_returns_one_row_per_related_twin_with_both_aliases() =>
        Assert.Equal("B1,F1 B1,F2", Pairs("SELECT T, CT FROM DIGITALTWINS T JOIN CT RELATED T.contains WHERE T.$dtId = 'B1'", "T", "CT"));

    [Fact]
    public void Join_with_a_relationship_alias_returns_the_relationship_document() =>
        Assert.Equal("F1,R1,f1-r1 F1,R2,f1-r2", Pairs("SELECT Factory, Consumer, Relationship FROM DIGITALTWINS Factory JOIN Consumer RELATED Factory.contains Relationship WHERE Factory.$dtId = 'F1'", "Factory", "Consumer", "Relationship"));

    [Fact]
    public void Join_chains_are_inner_joins() =>
        Assert.Equal("S1 S2", Pairs("SELECT S FROM DIGITALTWINS B JOIN F RELATED B.contains JOIN R RELATED F.contains JOIN S RELATED R.hosts WHERE B.$dtId = 'B1'", "S"));

    [Fact]
    public void Join_without_a_dtId_filter_runs_over_every_twin() =>
        Assert.Equal("F1,R1 F1,R2 F2,R3", Pairs("SELECT F, R FROM DIGITALTWINS F JOIN R RELATED F.contains WHERE IS_OF_MODEL(F, 'dtmi:test:Floor;1')", "F", "R"));

    [Fact]
    public void Property_projection_over_a_join_gives_flat_rows_and_omits_missing_values() =>
        Assert.Equal("""{"name":"Lobby","length":10}""" + "\n" + """{"name":"Lab","length":3}""",
            Rows("SELECT R.name, H.length, R.nothing FROM DIGITALTWINS R JOIN S RELATED R.hosts H WHERE IS_OF_MODEL(R, 'dtmi:test:Room;1')"));

    [Fact]
    public void Select_star_with_join_is_rejected() =>
        Assert.StartsWith("SELECT * cannot be used with JOIN or MATCH", Source.Rejected("SELECT * FROM DIGITALTWINS T JOIN CT RELATED T.contains WHERE T.$dtId = 'B1'"));

    [Fact]
    public void Count_over_a_join_counts_rows() =>
        Assert.Equal("""{"COUNT":3}""", Rows("SELECT COUNT() FROM DIGITALTWINS F JOIN R RELATED F.contains WHERE IS_OF_MODEL(F, 'dtmi:test:Floor;1')"));

    [Fact]
    public void From_relationships_filters_on_source_id_like_the_reference_example() =>
        Assert.Equal("b1-f1,b1-f2,f1-r1,f1-r2", string.Join(",", Source.All("SELECT * FROM RELATIONSHIPS WHERE $sourceId IN ['B1', 'F1', 'C', 'D']").Select(r => r["$relationshipId"]!.GetValue<string>())));

    [Fact]
    public void From_relationships_filters_on_name_and_properties() =>
        Assert.Equal("r1-s1", string.Join(",", Source.All("SELECT * FROM RELATIONSHIPS R WHERE R.$relationshipName = 'hosts' AND R.length > 5").Select(r => r["$relationshipId"]!.GetValue<string>())));

    [Fact]
    public void Count_of_relationships_counts_them_all() =>
        Assert.Equal("""{"COUNT":8}""", Rows("SELECT COUNT() FROM RELATIONSHIPS"));

    [Fact]
    public void Match_single_hop_with_a_condition_on_the_far_twin() =>
        Assert.Equal("R1,S1", Pairs("SELECT Building, Sensor FROM DIGITALTWINS MATCH (Building)-[]->(Sensor) WHERE Building.$dtId = 'R1' AND Sensor.temperature > 50", "Building", "Sensor"));

    [Fact]
    public void Match_with_name_alternatives_and_a_hop_range_excludes_the_lower_bound() =>
        Assert.Equal("B1,R1 B1,R2 B1,R3", Pairs("SELECT Floor, Room FROM DIGITALTWINS MATCH (Floor)-[:contains|hosts*1..2]->(Room) WHERE Floor.$dtId = 'B1'", "Floor", "Room"));

    [Fact]
    public void Match_with_an_upper_bound_only_starts_at_one_hop() =>
        Assert.Equal("B1,F1 B1,R1 B1,R2 B1,F2 B1,R3", Pairs("SELECT A, B FROM DIGITALTWINS MATCH (A)-[:contains*..2]->(B) WHERE A.$dtId = 'B1'", "A", "B"));

    [Fact]
    public void Match_with_an_exact_hop_count_returns_twins_at_that_distance() =>
        Assert.Equal("S1 S2", Pairs("SELECT S FROM DIGITALTWINS MATCH (B)-[*3]->(S) WHERE B.$dtId = 'B1'", "S"));

    [Fact]
    public void Match_walks_a_cycle_once() =>
        Assert.Equal("S2 F2 R3", Pairs("SELECT X FROM DIGITALTWINS MATCH (R)-[*..5]->(X) WHERE R.$dtId = 'R3'", "X"));

    [Fact]
    public void Match_relationship_variable_with_a_condition() =>
        Assert.Equal("R1,S1", Pairs("SELECT Floor, Room FROM DIGITALTWINS MATCH (Floor)-[r:contains|hosts]->(Room) WHERE Floor.$dtId = 'R1' AND r.length = 10", "Floor", "Room"));

    [Fact]
    public void Match_backward_and_undirected_edges() =>
        Assert.Equal("R1,F1,R2|R3 B1 S2", Pairs("SELECT A, F, B FROM DIGITALTWINS MATCH (A)<-[:contains]-(F)-[:contains]->(B) WHERE A.$dtId = 'R1'", "A", "F", "B")
            + "|" + Pairs("SELECT X FROM DIGITALTWINS MATCH (A)-[]-(X) WHERE A.$dtId = 'F2'", "X"));

    [Fact]
    public void Match_anchors_at_the_node_pinned_by_dtId_even_when_it_is_not_first() =>
        Assert.Equal("B1,F1,R1", Pairs("SELECT B, F, R FROM DIGITALTWINS MATCH (B)-[:contains]->(F)-[:contains]->(R) WHERE R.$dtId = 'R1'", "B", "F", "R"));

    [Fact]
    public void Match_relationship_variable_with_hops_is_rejected() =>
        Assert.EndsWith("hop count (*n) at 1:40", Source.Rejected("SELECT A FROM DIGITALTWINS MATCH (A)-[r*2]->(B) WHERE A.$dtId = 'B1'"));

    [Fact]
    public void Order_by_sorts_descending_with_top() =>
        Assert.Equal("""{"name":"Lab"}""" + "\n" + """{"name":"Office"}""", Rows("SELECT TOP(2) T.name FROM DIGITALTWINS T WHERE IS_OF_MODEL(T, 'dtmi:test:Room;1') ORDER BY T.temperature DESC"));

    [Fact]
    public void Order_by_pages_by_position() =>
        Assert.Equal("""{"name":"First"}""" + "\n" + """{"name":"Ground"}""" + "\n" + """{"name":"Lab"}""" + "\n" + """{"name":"Lobby"}""",
            Rows("SELECT T.name FROM DIGITALTWINS T WHERE IS_DEFINED(T.name) AND T.name != 'Main' AND T.name != 'Office' ORDER BY T.name", pageSize: 1));

    [Fact]
    public void Count_of_a_model_and_its_subtypes_reads_no_documents()
    {
        var page = QueryAssert.Engine.Execute("SELECT COUNT() FROM DIGITALTWINS WHERE IS_OF_MODEL('dtmi:test:Space;1')", Source, 100, null).Value!;
        Assert.Equal("""{"COUNT":6}""", page.Rows[0].ToJsonString());
        Assert.Equal(1, page.Charge);
    }

    [Fact]
    public void Planner_uses_the_property_index_and_intersects_with_the_model_index()
    {
        var graph = new TwinGraph();
        for (var i = 0; i < 1000; i++)
        {
            graph.PutTwin(Twin($"t{i:D4}", i % 2 == 0 ? Room : Sensor, $$"""{"code":{{i % 100}}}"""));
        }
        var source = new TwinGraphQuerySource(graph, Subtypes);
        var page = QueryAssert.Engine.Execute("SELECT T.$dtId FROM DIGITALTWINS T WHERE IS_OF_MODEL(T, 'dtmi:test:Room;1') AND T.code = 42", source, 100, null).Value!;
        Assert.Equal(10, page.Rows.Count);
        Assert.True(page.Charge < 2, $"charge {page.Charge}");
        graph.PutTwin(Twin("t0000", Room, """{"code":42}"""));
        Assert.Equal(11, source.All("SELECT T.$dtId FROM DIGITALTWINS T WHERE IS_OF_MODEL(T, 'dtmi:test:Room;1') AND T.code = 42").Count);
        Assert.Equal(6, source.All("SELECT * FROM DIGITALTWINS T WHERE T.code >= 40 AND T.code < 45 AND STARTSWITH(T.$dtId, 't00')").Count);
    }

    [Fact]
    public void Paging_inside_one_anchor_resumes_without_duplicates() =>
        Assert.Equal("B1,F1 B1,F2 F1,R1 F1,R2 F2,R3", string.Join(" ", Source.All("SELECT F, R FROM DIGITALTWINS F JOIN R RELATED F.contains", pageSize: 1).Select(r => Ids(r, "F", "R"))));

    [Fact]
    public void Indexes_stay_consistent_under_concurrent_writes()
    {
        var graph = new TwinGraph();
        var source = new TwinGraphQuerySource(graph, Subtypes);
        _ = source.All("SELECT * FROM DIGITALTWINS WHERE level = 1");
        Parallel.For(0, 2000, i =>
        {
            graph.PutTwin(Twin($"t{i:D4}", i % 3 == 0 ? Floor : Room, $$"""{"level":{{i % 4}}}"""));
            if (i % 5 == 0)
            {
                graph.RemoveTwin($"t{i:D4}");
            }
        });
        var expected = graph.Twins.Count(t => t.Model.Value == Floor && t.TryGetProperty("level", out var l) && l.GetInt32() == 1);
        Assert.Equal(expected, source.All("SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL('dtmi:test:Floor;1') AND level = 1").Count);
        Assert.Equal("{\"COUNT\":" + graph.TwinCount + "}", Rows("SELECT COUNT() FROM DIGITALTWINS WHERE IS_OF_MODEL('dtmi:test:Space;1')", source));
    }

    [Fact]
    public void Paging_is_stable_while_the_graph_changes()
    {
        var graph = new TwinGraph();
        for (var i = 0; i < 100; i += 2)
        {
            graph.PutTwin(Twin($"t{i:D3}", Room));
        }
        var source = new TwinGraphQuerySource(graph, Subtypes);
        var seen = new List<string>();
        var page = QueryAssert.Engine.Execute("SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL('dtmi:test:Room;1')", source, 7, null).Value!;
        var step = 1;
        while (true)
        {
            seen.AddRange(page.Rows.Select(r => r["$dtId"]!.GetValue<string>()));
            graph.PutTwin(Twin($"t{step:D3}", Room));
            step += 2;
            if (page.ContinuationToken is null)
            {
                break;
            }
            page = QueryAssert.Engine.Execute(null, source, 7, page.ContinuationToken).Value!;
        }
        Assert.Equal(seen.Distinct().Count(), seen.Count);
        Assert.All(Enumerable.Range(0, 50).Select(i => $"t{i * 2:D3}"), id => Assert.Contains(id, seen));
    }
}
