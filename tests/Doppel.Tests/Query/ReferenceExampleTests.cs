using System.Text.Json.Nodes;
using Doppel.Query;
using Doppel.Twins;
using static Doppel.Tests.Query.QueryGraphTests;

namespace Doppel.Tests.Query;

/// <summary>Every example query of adt-api.md §4.1, verbatim, over a graph built so that each returns rows in ADT's shape.</summary>
public sealed class ReferenceExampleTests
{
    private const string SampleRoom = "dtmi:sample:Room;1";
    private const string Thing = "dtmi:sample:Thing;1";

    private static readonly TwinGraphQuerySource Source = new(Graph(), dtmi => new HashSet<string> { dtmi });

    private static TwinGraph Graph()
    {
        var graph = new TwinGraph();
        void T(string id, string properties = "{}", string model = Thing) => graph.PutTwin(Twin(id, model, properties));
        void R(string source, string id, string target, string name, string properties = "{}") => graph.PutRelationship(Rel(source, id, target, name, properties));

        T("room1", model: SampleRoom);
        foreach (var id in new[] { "A", "B", "E", "X1", "X2", "ABC", "FactoryA", "Consumer1" })
        {
            T(id);
        }
        R("A", "a1", "X1", "links");
        R("B", "b1", "X2", "links");
        R("E", "e1", "X1", "links");
        R("ABC", "abc-x1", "X1", "contains");
        R("ABC", "abc-x2", "X2", "contains");
        R("FactoryA", "supplies", "Consumer1", "consumerRelationship");

        // Building1 contains a floor, a room, a light panel, a row and two bulbs: five levels of JOIN.
        var chain = new[] { "Building1", "Floor1", "Room1", "Panel1", "Row1" };
        foreach (var id in chain.Append("Bulb1").Append("Bulb2"))
        {
            T(id);
        }
        for (var i = 0; i + 1 < chain.Length; i++)
        {
            R(chain[i], $"c{i}", chain[i + 1], "contains");
        }
        R("Row1", "bulb1", "Bulb1", "contains");
        R("Row1", "bulb2", "Bulb2", "contains");

        T("Building21");
        T("Sensor21hot", """{"temperature":60}""");
        T("Sensor21cold", """{"temperature":40}""");
        T("Floor21");
        T("Room21");
        R("Building21", "feeds-hot", "Sensor21hot", "feeds");
        R("Building21", "hosts-cold", "Sensor21cold", "hosts");
        R("Building21", "assoc-floor", "Floor21", "isAssociatedWith");
        R("Room21", "assoc-room", "Floor21", "isAssociatedWith");

        // thermostat-15 reaches h4 in four hops and h5 in five; L10 and L3 are one hop away.
        foreach (var id in new[] { "thermostat-15", "h1", "h2", "h3", "h4", "h5", "L10", "L3" })
        {
            T(id);
        }
        R("thermostat-15", "t-h1", "h1", "contains");
        R("h1", "h1-h2", "h2", "isAssociatedWith");
        R("h2", "h2-h3", "h3", "contains");
        R("h3", "h3-h4", "h4", "contains");
        R("h4", "h4-h5", "h5", "isAssociatedWith");
        R("thermostat-15", "t-l10", "L10", "contains", """{"length":10}""");
        R("thermostat-15", "t-l3", "L3", "contains", """{"length":3}""");

        T("area1-north");
        T("area1-south");
        T("area2-east");
        T("floors", """{"name":"tower","floor_number":[1,2,3]}""");
        T("ground", """{"name":"shed","floor_number":[1]}""");
        T("team", """{"Group":"BravoTeam"}""");
        T("person", """{"Name":"D'Souza"}""");
        return graph;
    }

    private static List<JsonNode> Run(string query) => Source.All(query);

    private static string Id(JsonNode? node) => (string?)node?["$dtId"] ?? (string?)node?["$relationshipId"] ?? "";

    [Fact]
    public void Is_of_model_returns_whole_twins() =>
        Assert.Equal(["room1"], Run("SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL('dtmi:sample:Room;1')").Select(Id));

    [Fact]
    public void Top_without_star_returns_five_twins() =>
        Assert.Equal(5, Run("SELECT TOP(5) FROM DIGITALTWINS").Count(r => r["$dtId"] is not null));

    [Fact]
    public void Count_of_relationships_is_one_row() =>
        Assert.Equal(23L, (long)Run("SELECT COUNT() FROM RELATIONSHIPS").Single()["COUNT"]!);

    [Fact]
    public void Relationships_by_source_list() =>
        Assert.Equal(["a1", "b1"], Run("SELECT * FROM RELATIONSHIPS WHERE $sourceId IN ['A', 'B', 'C', 'D']").Select(Id).Order());

    [Fact]
    public void Join_on_contains_gives_both_aliases() =>
        Assert.Equal(["ABC X1", "ABC X2"], Run("SELECT T, CT FROM DIGITALTWINS T JOIN CT RELATED T.contains WHERE T.$dtId = 'ABC'").Select(r => $"{Id(r["T"])} {Id(r["CT"])}").Order());

    [Fact]
    public void Join_with_a_relationship_alias_returns_the_relationship_document()
    {
        var row = Run("SELECT Consumer, Factory, Relationship FROM DIGITALTWINS Factory JOIN Consumer RELATED Factory.consumerRelationship Relationship WHERE Factory.$dtId = 'FactoryA'").Single();
        Assert.Equal("Consumer1", Id(row["Consumer"]));
        Assert.Equal("FactoryA", Id(row["Factory"]));
        Assert.Equal("supplies", Id(row["Relationship"]));
        Assert.Equal("consumerRelationship", (string?)row["Relationship"]!["$relationshipName"]);
    }

    [Fact]
    public void Five_level_join_reaches_the_bulbs() =>
        Assert.Equal(["Bulb1", "Bulb2"], Run("SELECT LightBulb FROM DIGITALTWINS Building JOIN Floor RELATED Building.contains JOIN Room RELATED Floor.contains JOIN LightPanel RELATED Room.contains JOIN LightBulbRow RELATED LightPanel.contains JOIN LightBulb RELATED LightBulbRow.contains WHERE Building.$dtId = 'Building1'")
            .Select(r => Id(r["LightBulb"])).Order());

    [Fact]
    public void Match_any_relationship_with_a_condition_on_the_target() =>
        Assert.Equal(["Building21 Sensor21hot"], Run("SELECT Building, Sensor FROM DIGITALTWINS MATCH (Building)-[]->(Sensor) WHERE Building.$dtId = 'Building21' AND Sensor.temperature > 50")
            .Select(r => $"{Id(r["Building"])} {Id(r["Sensor"])}"));

    [Fact]
    public void Match_with_alternatives_and_a_hop_range_excludes_the_lower_bound() =>
        Assert.Equal(["h4", "h5"], Run("SELECT Floor, Room FROM DIGITALTWINS MATCH (Floor)-[:contains|isAssociatedWith*3..5]->(Room) WHERE Floor.$dtId = 'thermostat-15'")
            .Select(r => Id(r["Room"])).Order());

    [Fact]
    public void Match_with_a_relationship_variable_filters_on_its_properties() =>
        Assert.Equal(["L10"], Run("SELECT Floor, Room FROM DIGITALTWINS MATCH (Floor)-[r:contains|isAssociatedWith]->(Room) WHERE Floor.$dtId = 'thermostat-15' AND r.length = 10")
            .Select(r => Id(r["Room"])));

    [Fact]
    public void Chained_match_in_both_directions() =>
        Assert.Equal(["Building21 Floor21 Room21"], Run("SELECT Building, Floor, Room FROM DIGITALTWINS MATCH (Building)-[r1:isAssociatedWith]->(Floor)<-[r2:isAssociatedWith]-(Room) WHERE Building.$dtId = 'Building21'")
            .Select(r => $"{Id(r["Building"])} {Id(r["Floor"])} {Id(r["Room"])}"));

    [Fact]
    public void Startswith_on_the_id() =>
        Assert.Equal(["area1-north", "area1-south"], Run("SELECT * FROM DIGITALTWINS T WHERE STARTSWITH(T.$dtId, 'area1-')").Select(Id));

    [Fact]
    public void Array_contains_projects_the_name() =>
        Assert.Equal("""[{"name":"tower"}]""", new JsonArray([.. Run("SELECT T.name FROM DIGITALTWINS T WHERE ARRAY_CONTAINS(T.floor_number, 2)").Select(r => r.DeepClone())]).ToJsonString());

    [Fact]
    public void A_reserved_word_is_escaped_with_double_brackets() =>
        Assert.Equal(["team"], Run("SELECT * FROM DIGITALTWINS WHERE [[Group]] = 'BravoTeam'").Select(Id));

    [Fact]
    public void An_escaped_quote_inside_a_string() =>
        Assert.Equal(["person"], Run("SELECT * FROM DIGITALTWINS WHERE Name = 'D\\'Souza'").Select(Id));
}
