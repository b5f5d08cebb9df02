using Doppel.Query;

namespace Doppel.Tests.Query;

public sealed class QueryExecutionTests
{
    private const string Space = "dtmi:example:Space;1";
    private const string Room = "dtmi:example:Room;1";
    private const string ConferenceRoom = "dtmi:example:ConferenceRoom;1";
    private const string Sensor = "dtmi:example:Sensor;1";

    private static readonly InMemoryQuerySource Graph = new InMemoryQuerySource()
        .Model(Space).Model(Room, Space).Model(ConferenceRoom, Room).Model(Sensor)
        .Twin("area1-room1", Room, """{"name":"Room 1","temperature":21.5,"floor_number":[1,2],"tags":{"red":true},"Location":{"x":1}}""")
        .Twin("area1-room2", ConferenceRoom, """{"name":"D'Souza","temperature":25,"floor_number":[2,3],"Group":"BravoTeam"}""")
        .Twin("area2-sensor", Sensor, """{"name":"Sensor \"A\"","temperature":"hot","active":false,"nothing":null}""")
        .Twin("b", Space);

    [Fact]
    public void Select_star_returns_the_twin_documents_in_id_order()
    {
        var rows = Graph.All("SELECT * FROM DIGITALTWINS");
        Assert.Equal(["area1-room1", "area1-room2", "area2-sensor", "b"], rows.Select(r => r["$dtId"]!.GetValue<string>()));
        Assert.Same(Graph.All.First(), rows[0]);
    }

    [Theory]
    [InlineData("select * from digitaltwins")]
    [InlineData("SeLeCt * FrOm DigitalTwins T")]
    [InlineData("SELECT * FROM DIGITALTWINS AS T")]
    [InlineData("SELECT *\r\nFROM DIGITALTWINS\n\tWHERE\tTRUE")]
    public void Keywords_are_case_insensitive_and_the_alias_is_optional(string query) =>
        Assert.Equal("area1-room1,area1-room2,area2-sensor,b", Graph.Ids(query));

    [Theory]
    [InlineData("SELECT TOP(2) FROM DIGITALTWINS", "area1-room1,area1-room2")]
    [InlineData("SELECT TOP(2) * FROM DIGITALTWINS", "area1-room1,area1-room2")]
    [InlineData("SELECT TOP(0) * FROM DIGITALTWINS", "")]
    [InlineData("SELECT TOP(10) * FROM DIGITALTWINS WHERE IS_NUMBER(temperature)", "area1-room1,area1-room2")]
    public void Top_limits_the_rows(string query, string ids) => Assert.Equal(ids, Graph.Ids(query));

    [Theory]
    [InlineData("SELECT COUNT() FROM DIGITALTWINS", 4)]
    [InlineData("SELECT COUNT() FROM DIGITALTWINS WHERE IS_OF_MODEL('dtmi:example:Room;1')", 2)]
    [InlineData("select count() from digitaltwins t where t.temperature > 100", 0)]
    public void Count_returns_one_row_keyed_COUNT(string query, int count) =>
        Assert.Equal($$"""{"COUNT":{{count}}}""", Graph.Json(query));

    [Fact]
    public void Property_projections_are_flat_and_omit_missing_properties() =>
        Assert.Equal(
            """
            {"name":"Room 1","$dtId":"area1-room1","x":1}
            {"name":"D'Souza","$dtId":"area1-room2"}
            {"name":"Sensor \"A\"","$dtId":"area2-sensor"}
            {"$dtId":"b"}
            """.ReplaceLineEndings("\n"),
            Graph.Json("SELECT T.name, T.$dtId, T.Location.x FROM DIGITALTWINS T"));

    [Fact]
    public void Projections_accept_paths_without_alias_AS_names_objects_and_nulls() =>
        Assert.Equal(
            """
            {"model":"dtmi:example:Room;1","t":21.5,"tags":{"red":true}}
            {"model":"dtmi:example:Sensor;1","t":"hot","nothing":null}
            """.ReplaceLineEndings("\n"),
            Graph.Json("SELECT $metadata.$model AS model, temperature AS t, nothing, [[tags]] FROM DIGITALTWINS WHERE $dtId = 'area2-sensor' OR [[tags]].red = true"));

    [Fact]
    public void Projecting_the_alias_wraps_each_twin_in_a_copy()
    {
        var rows = Graph.All("SELECT TOP(1) T FROM DIGITALTWINS T");
        var row = Assert.Single(rows);
        Assert.Equal(Graph.All.First().ToJsonString(), row["T"]!.ToJsonString());
        Assert.NotSame(Graph.All.First(), row["T"]);
    }

    [Theory]
    // Comparisons: numbers numerically, strings ordinally, mismatched types never match.
    [InlineData("T.temperature = 25", "area1-room2")]
    [InlineData("T.temperature != 25", "area1-room1")]
    [InlineData("T.temperature > 21.5", "area1-room2")]
    [InlineData("T.temperature >= 21.5", "area1-room1,area1-room2")]
    [InlineData("T.temperature < 22", "area1-room1")]
    [InlineData("T.temperature <= 25", "area1-room1,area1-room2")]
    [InlineData("T.temperature = 'hot'", "area2-sensor")]
    [InlineData("T.temperature > 'a'", "area2-sensor")]
    [InlineData("T.name < 'E'", "area1-room2")]
    [InlineData("T.name > 'r'", "")]
    [InlineData("T.temperature = -3", "")]
    [InlineData("T.active = false", "area2-sensor")]
    [InlineData("T.nothing = null", "area2-sensor")]
    [InlineData("T.tags.red = true", "area1-room1")]
    [InlineData("T.$dtId = 'b'", "b")]
    [InlineData("$dtId = 'b'", "b")]
    [InlineData("T.$metadata.$model = 'dtmi:example:Sensor;1'", "area2-sensor")]
    [InlineData("$metadata.$model != 'dtmi:example:Sensor;1'", "area1-room1,area1-room2,b")]
    // Logic, precedence and parentheses.
    [InlineData("T.temperature > 20 AND T.temperature < 24", "area1-room1")]
    [InlineData("T.$dtId = 'b' OR T.temperature = 25", "area1-room2,b")]
    [InlineData("T.$dtId = 'b' OR T.temperature = 25 AND T.name = 'nope'", "b")]
    [InlineData("(T.$dtId = 'b' OR T.temperature = 25) AND T.name = 'nope'", "")]
    [InlineData("NOT T.$dtId = 'b'", "area1-room1,area1-room2,area2-sensor")]
    [InlineData("NOT (T.$dtId = 'b' OR T.$dtId = 'area1-room1')", "area1-room2,area2-sensor")]
    // Three-valued logic as in Cosmos DB: 'hot' = 25 is undefined rather than false, and so is its negation.
    [InlineData("NOT T.temperature = 25", "area1-room1")]
    [InlineData("NOT T.temperature = 25 OR IS_STRING(T.temperature)", "area1-room1,area2-sensor")]
    [InlineData("NOT NOT T.temperature = 25", "area1-room2")]
    // IN / NIN.
    [InlineData("T.$dtId IN ['b', 'area1-room1', 'zz']", "area1-room1,b")]
    [InlineData("T.$dtId NIN ['b', 'area1-room1']", "area1-room2,area2-sensor")]
    [InlineData("T.temperature IN [25, 'hot']", "area1-room2,area2-sensor")]
    [InlineData("T.temperature NIN [25]", "area1-room1,area2-sensor")]
    [InlineData("T.temperature NOT IN [25]", "area1-room1,area2-sensor")]
    [InlineData("T.$dtId IN []", "")]
    // Functions.
    [InlineData("IS_OF_MODEL('dtmi:example:Space;1')", "area1-room1,area1-room2,b")]
    [InlineData("IS_OF_MODEL('dtmi:example:Room;1')", "area1-room1,area1-room2")]
    [InlineData("IS_OF_MODEL('dtmi:example:Room;1', exact)", "area1-room1")]
    [InlineData("IS_OF_MODEL(T, 'dtmi:example:Room;1', exact)", "area1-room1")]
    [InlineData("IS_OF_MODEL(T, 'dtmi:example:ConferenceRoom;1')", "area1-room2")]
    [InlineData("IS_OF_MODEL('dtmi:example:Unknown;1')", "")]
    [InlineData("is_of_model('dtmi:example:Sensor;1') AND NOT IS_OF_MODEL('dtmi:example:Space;1')", "area2-sensor")]
    [InlineData("IS_DEFINED(T.temperature)", "area1-room1,area1-room2,area2-sensor")]
    [InlineData("IS_DEFINED(Location)", "area1-room1")]
    [InlineData("IS_DEFINED(tags.red)", "area1-room1")]
    [InlineData("IS_DEFINED(T.nothing)", "area2-sensor")]
    [InlineData("NOT IS_DEFINED(T.temperature)", "b")]
    [InlineData("IS_NULL(T.nothing)", "area2-sensor")]
    [InlineData("IS_NULL(T.temperature)", "")]
    [InlineData("IS_BOOL(T.active)", "area2-sensor")]
    [InlineData("IS_NUMBER(T.temperature)", "area1-room1,area1-room2")]
    [InlineData("IS_STRING(T.temperature)", "area2-sensor")]
    [InlineData("IS_PRIMITIVE(T.nothing) AND IS_PRIMITIVE(T.active)", "area2-sensor")]
    [InlineData("IS_PRIMITIVE(T.floor_number)", "")]
    [InlineData("IS_OBJECT(T.tags)", "area1-room1")]
    [InlineData("IS_OBJECT(T)", "area1-room1,area1-room2,area2-sensor,b")]
    [InlineData("STARTSWITH(T.$dtId, 'area1-')", "area1-room1,area1-room2")]
    [InlineData("STARTS_WITH($dtId, 'area2')", "area2-sensor")]
    [InlineData("ENDSWITH(T.$dtId, 'room2')", "area1-room2")]
    [InlineData("ENDS_WITH(T.name, '\"')", "area2-sensor")]
    [InlineData("CONTAINS(T.name, 'oom')", "area1-room1")]
    [InlineData("CONTAINS(T.name, 'OOM')", "")]
    [InlineData("STARTSWITH(T.temperature, 'h')", "area2-sensor")]
    [InlineData("NOT STARTSWITH(T.temperature, 'h')", "")]
    [InlineData("STARTSWITH($metadata.$model, 'dtmi:example:Room')", "area1-room1")]
    [InlineData("ARRAY_CONTAINS(T.floor_number, 2)", "area1-room1,area1-room2")]
    [InlineData("ARRAY_CONTAINS(T.floor_number, 3)", "area1-room2")]
    [InlineData("ARRAY_CONTAINS(T.floor_number, '3')", "")]
    [InlineData("ARRAY_CONTAINS(T.name, 'R')", "")]
    // Escaping: reserved words as names, quotes inside strings.
    [InlineData("[[Group]] = 'BravoTeam'", "area1-room2")]
    [InlineData("T.[[Group]] = 'BravoTeam'", "area1-room2")]
    [InlineData("Name = 'D\\'Souza'", "")]
    [InlineData("name = 'D\\'Souza'", "area1-room2")]
    [InlineData("name = \"D'Souza\"", "area1-room2")]
    [InlineData("name = 'Sensor \"A\"'", "area2-sensor")]
    [InlineData("name = \"Sensor \\\"A\\\"\"", "area2-sensor")]
    // Property names are case-sensitive: a misspelling is an empty result, not an error.
    [InlineData("T.Temperature = 25", "")]
    [InlineData("T.temperature.value = 25", "")]
    public void Where_selects_the_matching_twins(string condition, string ids) =>
        Assert.Equal(ids, Graph.Ids($"SELECT * FROM DIGITALTWINS T WHERE {condition}"));

    [Fact]
    public void Metadata_paths_reach_property_update_times()
    {
        var source = new InMemoryQuerySource().Twin("a", Room, """{"$metadata":{"$model":"dtmi:example:Room;1","temperature":{"lastUpdateTime":"2024-05-01T00:00:00Z"}}}""");
        Assert.Equal("a", source.Ids("SELECT * FROM DIGITALTWINS T WHERE T.$metadata.temperature.lastUpdateTime > '2024-01-01'"));
        Assert.Equal("", source.Ids("SELECT * FROM DIGITALTWINS T WHERE T.$metadata.temperature.lastUpdateTime > '2025-01-01'"));
    }

    [Theory]
    // The reference examples of this slice, verbatim.
    [InlineData("SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL('dtmi:example:Room;1')", "area1-room1,area1-room2")]
    [InlineData("SELECT * FROM DIGITALTWINS T WHERE STARTSWITH(T.$dtId, 'area1-')", "area1-room1,area1-room2")]
    [InlineData("SELECT * FROM DIGITALTWINS WHERE [[Group]] = 'BravoTeam'", "area1-room2")]
    [InlineData("SELECT * FROM DIGITALTWINS WHERE IS_DEFINED(tags.red)", "area1-room1")]
    public void Reference_examples_run(string query, string ids) => Assert.Equal(ids, Graph.Ids(query));

    [Fact]
    public void Reference_example_projecting_a_property_with_array_contains_runs() =>
        Assert.Equal("""{"name":"Room 1"}""" + "\n" + """{"name":"D'Souza"}""", Graph.Json("SELECT T.name FROM DIGITALTWINS T WHERE ARRAY_CONTAINS(T.floor_number, 2)"));

    [Fact]
    public void Is_of_model_with_an_unknown_collection_is_rejected() =>
        Assert.Equal("IS_OF_MODEL refers to 'X', which is not a collection of this query at 1:48", Graph.Rejected("SELECT * FROM DIGITALTWINS T WHERE IS_OF_MODEL(X, 'dtmi:a;1')"));

    [Fact]
    public void Is_of_model_without_a_model_id_string_is_rejected() =>
        Assert.StartsWith("IS_OF_MODEL expects a model id string", Graph.Rejected("SELECT * FROM DIGITALTWINS T WHERE IS_OF_MODEL(T, 5)"));

    [Fact]
    public void Charge_grows_with_the_twins_scanned()
    {
        var source = new InMemoryQuerySource();
        for (var i = 0; i < 300; i++)
        {
            source.Twin($"t{i:D3}", Room);
        }
        var page = QueryAssert.Engine.Execute("SELECT COUNT() FROM DIGITALTWINS", source, 10, null).Value!;
        Assert.Equal(4.0, page.Charge);
        Assert.Equal(1.06, QueryAssert.Engine.Execute("SELECT TOP(5) FROM DIGITALTWINS", source, 10, null).Value!.Charge, 6);
    }

    [Fact]
    public void A_cancelled_token_stops_the_scan()
    {
        var source = new InMemoryQuerySource();
        for (var i = 0; i < 1000; i++)
        {
            source.Twin($"t{i:D4}", Room);
        }
        using var cts = new CancellationTokenSource();
        var cancelling = new CancellingSource(source, cts, after: 100);
        Assert.Throws<OperationCanceledException>(() => QueryAssert.Engine.Execute("SELECT COUNT() FROM DIGITALTWINS", cancelling, 10, null, cts.Token));
        Assert.True(cancelling.Yielded < 200);
    }

    private sealed class CancellingSource(IQuerySource inner, CancellationTokenSource cts, int after) : IQuerySource
    {
        public int Yielded { get; private set; }

        public IEnumerable<System.Text.Json.Nodes.JsonObject> TwinsAfter(string? afterDtId)
        {
            foreach (var twin in inner.TwinsAfter(afterDtId))
            {
                if (++Yielded == after)
                {
                    cts.Cancel();
                }
                yield return twin;
            }
        }

        public IReadOnlySet<string> ModelAndSubtypes(string dtmi) => inner.ModelAndSubtypes(dtmi);
    }
}
