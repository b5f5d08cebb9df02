using System.Text.Json.Nodes;
using Doppel.Twins;
using static Doppel.Tests.Twins.Fx;

namespace Doppel.Tests.Twins;

public sealed class TwinDocumentTests
{
    [Fact]
    public void ToJson_has_the_ADT_twin_shape_with_seven_digit_utc_timestamps()
    {
        var twin = Room("\"temperature\": 21.5, \"info\": {\"city\": \"Oslo\"}");
        var expected = """
            {"$dtId":"room1","$etag":"W/\"00000000-0000-0000-0000-000000000000\"","temperature":21.5,"info":{"city":"Oslo"},
             "thermostat":{"$metadata":{"$lastUpdateTime":"2024-05-06T07:08:09.1234567Z"}},
             "$metadata":{"$model":"dtmi:test:Room;1","$lastUpdateTime":"2024-05-06T07:08:09.1234567Z",
               "temperature":{"lastUpdateTime":"2024-05-06T07:08:09.1234567Z"},"info":{"lastUpdateTime":"2024-05-06T07:08:09.1234567Z"}}}
            """;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), twin.ToJson()), twin.ToJsonString());
    }

    [Fact]
    public void ToJson_returns_a_fresh_copy_each_time()
    {
        var twin = Room("\"info\": {\"city\": \"Oslo\"}");
        var copy = twin.ToJson();
        copy["info"]!["city"] = "Bergen";
        copy["temperature"] = 3;
        Assert.Equal("{\"city\":\"Oslo\"}", Prop(twin, "info"));
        Assert.Null(twin.ToJson()["temperature"]);
    }

    [Fact]
    public void ToJsonString_equals_ToJson()
    {
        var twin = Patched(Room("\"tags\": {\"a\": 1}, \"name\": \"é\\\"\""), """[{"op":"add","path":"/thermostat/setPoint","value":20}]""");
        Assert.True(JsonNode.DeepEquals(twin.ToJson(), JsonNode.Parse(twin.ToJsonString())));
    }

    [Fact]
    public void FromStoredJson_is_the_inverse_of_ToJsonString()
    {
        var body = Obj("""{"$metadata": {"$model": "dtmi:test:Room;1", "temperature": {"sourceTime": "2022-05-31T12:00:00Z"}}, "thermostat": {"$metadata": {}, "setPoint": 20}, "temperature": 1, "readings": [1, 2]}""");
        var twin = Patched(Ops.Create("room1", body, T0, E0).Value!, """[{"op":"add","path":"/name","value":"n"}]""");
        var reloaded = TwinDocument.FromStoredJson(twin.ToJsonString());
        Assert.Equal(twin.ToJsonString(), reloaded.ToJsonString());
        Assert.Equal(twin.Id, reloaded.Id);
        Assert.Equal(twin.ETag, reloaded.ETag);
        Assert.Equal(twin.Model, reloaded.Model);
        Assert.Equal(twin.LastUpdateTime, reloaded.LastUpdateTime);
        Assert.Contains("thermostat", Patched(reloaded, """[{"op":"replace","path":"/thermostat/setPoint","value":21}]""").ComponentNames);
    }

    [Fact]
    public void GetComponent_returns_the_component_with_its_metadata()
    {
        var twin = Patched(Room(), """[{"op":"add","path":"/thermostat/setPoint","value":20}]""");
        var component = Ops.GetComponent(twin, "thermostat").Value!;
        Assert.Equal(20, (double)component["setPoint"]!);
        Assert.Equal("2024-05-06T07:09:09.1234567Z", (string?)component["$metadata"]!["$lastUpdateTime"]);
        Assert.Equal("2024-05-06T07:09:09.1234567Z", (string?)component["$metadata"]!["setPoint"]!["lastUpdateTime"]);
    }

    [Fact]
    public void GetComponent_of_an_unknown_component_is_ComponentNotFound() =>
        Assert.Equal("ComponentNotFound", Ops.GetComponent(Room(), "nope").Error?.Code);
}

public sealed class ETagsTests
{
    [Fact]
    public void New_is_a_weak_etag_around_the_guid() =>
        Assert.Equal("W/\"11111111-1111-1111-1111-111111111111\"", ETags.New(Guid.Parse("11111111-1111-1111-1111-111111111111")));

    [Theory]
    [InlineData(null, true)]
    [InlineData("*", true)]
    [InlineData("W/\"11111111-1111-1111-1111-111111111111\"", true)]
    [InlineData("\"11111111-1111-1111-1111-111111111111\"", true)]
    [InlineData("W/\"22222222-2222-2222-2222-222222222222\"", false)]
    [InlineData("W/\"22222222-2222-2222-2222-222222222222\", W/\"11111111-1111-1111-1111-111111111111\"", true)]
    [InlineData("", false)]
    public void If_match_is_satisfied_by_absence_star_or_a_weakly_equal_tag(string? ifMatch, bool expected) =>
        Assert.Equal(expected, ETags.IfMatchSatisfied(ifMatch, E1));
}
