using Doppel.Events;
using Doppel.Modeling;
using Doppel.Twins;

namespace Doppel.Tests.Events;

/// <summary>Building a stream filter: type aliases, twin ids, and errors that say what and where.</summary>
public sealed class TwinEventFilterTests
{
    private static readonly ModelCatalog Models = new(new ModelParserOptions());

    private static TwinEvent Event(string type, string twin = "a") =>
        new("e", type, twin, "dtmi:test:Sensor;1", twin, DateTimeOffset.UnixEpoch, "{}"u8.ToArray());

    private static TwinEventFilter Filter(IEnumerable<string>? ids = null, IEnumerable<string>? types = null) =>
        TwinEventFilter.Create(new TwinGraph(), Models, ids, types: types).Value!;

    [Theory]
    [InlineData("twin", "Microsoft.DigitalTwins.Twin.Create,Microsoft.DigitalTwins.Twin.Update,Microsoft.DigitalTwins.Twin.Delete")]
    [InlineData("relationship", "Microsoft.DigitalTwins.Relationship.Create,Microsoft.DigitalTwins.Relationship.Update,Microsoft.DigitalTwins.Relationship.Delete")]
    [InlineData("telemetry", "microsoft.iot.telemetry")]
    [InlineData("lifecycle", "Microsoft.DigitalTwins.Twin.Create,Microsoft.DigitalTwins.Twin.Delete,Microsoft.DigitalTwins.Relationship.Create,Microsoft.DigitalTwins.Relationship.Delete")]
    [InlineData("Microsoft.DigitalTwins.Twin.Update", "Microsoft.DigitalTwins.Twin.Update")]
    public void A_type_alias_selects_exactly_its_event_types(string alias, string expected)
    {
        var filter = Filter(types: [alias]);
        Assert.Equal(expected.Split(','), TwinEventTypes.All.Where(t => filter.Matches(Event(t))));
    }

    [Fact]
    public void No_criteria_match_everything_and_twin_ids_restrict_to_those_twins()
    {
        Assert.All(TwinEventTypes.All, t => Assert.True(Filter().Matches(Event(t))));
        var ids = Filter(ids: ["a", "b"]);
        Assert.True(ids.Matches(Event(TwinEventTypes.Telemetry, "b")));
        Assert.False(ids.Matches(Event(TwinEventTypes.Telemetry, "c")));
    }

    [Fact]
    public void Unknown_types_bad_models_and_malformed_conditions_are_refused_with_a_reason()
    {
        var graph = new TwinGraph();
        var type = TwinEventFilter.Create(graph, Models, types: ["twins"]);
        Assert.Equal("InvalidArgument", type.Error?.Code);
        Assert.Contains("'twins'", type.Error!.Message, StringComparison.Ordinal);
        Assert.Equal("InvalidArgument", TwinEventFilter.Create(graph, Models, model: "Room").Error?.Code);
        var where = TwinEventFilter.Create(graph, Models, where: "T.temperature >");
        Assert.Equal("SqlQueryError", where.Error?.Code);
        Assert.EndsWith("at 1:16", where.Error!.Message, StringComparison.Ordinal);
        var order = TwinEventFilter.Create(graph, Models, where: "T.a = 1 ORDER BY T.a");
        Assert.Contains("WHERE clause alone", order.Error!.Message, StringComparison.Ordinal);
    }
}
