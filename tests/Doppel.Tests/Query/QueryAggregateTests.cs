using Doppel.Query;
using Doppel.Twins;

namespace Doppel.Tests.Query;

/// <summary>GROUP BY, SUM/AVG/MIN/MAX/COUNT and DISTINCT (beyond ADT).</summary>
public sealed class QueryAggregateTests
{
    private const string Space = "dtmi:test:Space;1";
    private const string Room = "dtmi:test:Room;1";
    private const string Lab = "dtmi:test:Lab;1";

    private static readonly TwinGraphQuerySource Source = new(Graph(), m => m == Room ? new HashSet<string> { Room, Lab } : new HashSet<string> { m });

    private static TwinGraph Graph()
    {
        var graph = new TwinGraph();
        graph.PutTwin(QueryGraphTests.Twin("a", Room, """{"name":"A","personCapacity":4}"""));
        graph.PutTwin(QueryGraphTests.Twin("b", Room, """{"name":"B","personCapacity":10}"""));
        graph.PutTwin(QueryGraphTests.Twin("c", Lab, """{"name":"A","personCapacity":"many"}"""));
        graph.PutTwin(QueryGraphTests.Twin("d", Lab, """{"name":"D"}"""));
        graph.PutTwin(QueryGraphTests.Twin("s", Space, """{"name":"S","personCapacity":100}"""));
        graph.PutRelationship(QueryGraphTests.Rel("s", "s-a", "a", "contains"));
        graph.PutRelationship(QueryGraphTests.Rel("s", "s-b", "b", "contains"));
        graph.PutRelationship(QueryGraphTests.Rel("s", "s-c", "c", "contains"));
        return graph;
    }

    private static string Rows(string query, int pageSize = 1000) => Source.Json(query) is var all && pageSize == 1000
        ? all
        : string.Join("\n", Source.All(query, pageSize).Select(r => r.ToJsonString()));

    [Fact]
    public void Group_by_model_counts_the_twins_of_each_model_in_order_of_first_appearance() =>
        Assert.Equal(
            """
            {"$model":"dtmi:test:Room;1","COUNT":2}
            {"$model":"dtmi:test:Lab;1","COUNT":2}
            {"$model":"dtmi:test:Space;1","COUNT":1}
            """.ReplaceLineEndings("\n"),
            Rows("SELECT T.$metadata.$model, COUNT() FROM DIGITALTWINS T GROUP BY T.$metadata.$model"));

    [Fact]
    public void Aggregates_without_group_by_make_one_row_and_ignore_values_that_are_not_numbers() =>
        Assert.Equal(
            """{"avg":7,"MAX":"many","total":14,"MIN":4,"n":3}""",
            Rows("SELECT AVG(T.personCapacity) AS avg, MAX(T.personCapacity), SUM(T.personCapacity) AS total, MIN(T.personCapacity), COUNT(T.personCapacity) AS n FROM DIGITALTWINS T WHERE IS_OF_MODEL(T, 'dtmi:test:Room;1') AND T.name != 'D'"));

    [Fact]
    public void Min_and_max_order_numbers_before_strings() =>
        Assert.Equal("""{"MIN":4,"MAX":"many"}""", Rows("SELECT MIN(T.personCapacity), MAX(T.personCapacity) FROM DIGITALTWINS T WHERE IS_OF_MODEL(T, 'dtmi:test:Room;1')"));

    [Fact]
    public void Aggregates_over_no_rows_give_zero_counts_and_sums_and_omit_the_others() =>
        Assert.Equal("""{"COUNT":0,"SUM":0}""", Rows("SELECT COUNT(), SUM(T.x), AVG(T.x), MAX(T.x) FROM DIGITALTWINS T WHERE T.name = 'nobody'"));

    [Fact]
    public void Group_by_works_over_joins_and_orders_groups() =>
        Assert.Equal(
            """
            {"name":"S","rooms":3,"largest":"many"}
            """.ReplaceLineEndings("\n"),
            Rows("SELECT P.name, COUNT() AS rooms, MAX(C.personCapacity) AS largest FROM DIGITALTWINS P JOIN C RELATED P.contains GROUP BY P.name ORDER BY P.name DESC"));

    [Fact]
    public void Group_by_a_missing_property_makes_its_own_group_without_the_key() =>
        Assert.Equal(
            """
            {"personCapacity":"many","COUNT":1}
            {"personCapacity":100,"COUNT":1}
            {"personCapacity":10,"COUNT":1}
            {"personCapacity":4,"COUNT":1}
            {"COUNT":1}
            """.ReplaceLineEndings("\n"),
            Rows("SELECT T.personCapacity, COUNT() FROM DIGITALTWINS T GROUP BY T.personCapacity ORDER BY T.personCapacity DESC"));

    [Fact]
    public void Distinct_returns_each_projected_row_once() =>
        Assert.Equal("{\"name\":\"A\"}\n{\"name\":\"B\"}\n{\"name\":\"D\"}\n{\"name\":\"S\"}", Rows("SELECT DISTINCT T.name FROM DIGITALTWINS T ORDER BY T.name"));

    [Fact]
    public void Grouped_results_page_by_group_offset() =>
        Assert.Equal(
            """
            {"$model":"dtmi:test:Room;1","COUNT":2}
            {"$model":"dtmi:test:Lab;1","COUNT":2}
            {"$model":"dtmi:test:Space;1","COUNT":1}
            """.ReplaceLineEndings("\n"),
            Rows("SELECT T.$metadata.$model, COUNT() FROM DIGITALTWINS T GROUP BY T.$metadata.$model", pageSize: 1));

    [Fact]
    public void Top_limits_groups() =>
        Assert.Equal("""{"name":"A","COUNT":2}""", Rows("SELECT TOP(1) T.name, COUNT() FROM DIGITALTWINS T GROUP BY T.name"));

    [Theory]
    [InlineData("SELECT T.name, COUNT() FROM DIGITALTWINS T", "'T.name' is neither in GROUP BY nor inside an aggregate such as COUNT() or MAX() at 1:8")]
    [InlineData("SELECT T.name, COUNT() FROM DIGITALTWINS T GROUP BY T.$dtId", "'T.name' is neither in GROUP BY nor inside an aggregate such as COUNT() or MAX() at 1:8")]
    [InlineData("SELECT COUNT() FROM DIGITALTWINS T GROUP BY T.name ORDER BY T.x", "ORDER BY 'T.x' must be a GROUP BY property in a grouped query at 1:61")]
    [InlineData("SELECT MAX(T.a), MAX(T.b) FROM DIGITALTWINS T", "two columns are named 'MAX'; rename one with AS at 1:18")]
    [InlineData("SELECT SUM() FROM DIGITALTWINS T", "unexpected ')'; expected a property inside SUM() at 1:12")]
    [InlineData("SELECT * FROM DIGITALTWINS T GROUP BY T.name", "SELECT * cannot be used with GROUP BY; select the grouped properties and aggregates at 1:1")]
    public void Invalid_grouping_is_rejected_with_its_position(string query, string message) =>
        Assert.Equal(message, Source.Rejected(query));

    [Fact]
    public void Group_is_still_a_property_name_when_no_by_follows() =>
        Assert.Equal("{\"n\":1}", Rows("SELECT COUNT() AS n FROM DIGITALTWINS GROUP WHERE GROUP.$dtId = 'a'"));

    [Fact]
    public void Join_pinned_on_the_joined_alias_starts_there_and_returns_the_same_rows() =>
        Assert.Equal(
            """{"P":"s","C":"b"}""",
            string.Join("\n", Source.All("SELECT P.$dtId AS P, C.$dtId AS C FROM DIGITALTWINS P JOIN C RELATED P.contains WHERE C.$dtId = 'b'").Select(r => r.ToJsonString())));
}
