using Doppel.Twins;
using static Doppel.Tests.Twins.Fx;

namespace Doppel.Tests.Twins;

public sealed class TwinValidationTests
{
    [Theory]
    [InlineData("\"occupied\": true")]
    [InlineData("\"temperature\": 21.5")]
    [InlineData("\"temperature\": 21")]
    [InlineData("\"count\": 2147483647")]
    [InlineData("\"big\": 9223372036854775807")]
    [InlineData("\"small\": -32768")]
    [InlineData("\"tiny\": -128")]
    [InlineData("\"ubyte\": 255")]
    [InlineData("\"ushort\": 65535")]
    [InlineData("\"uint\": 4294967295")]
    [InlineData("\"ulong\": 18446744073709551615")]
    [InlineData("\"ratio\": 1.5")]
    [InlineData("\"price\": 12.345")]
    [InlineData("\"name\": \"Lobby\"")]
    [InlineData("\"opened\": \"2024-02-29\"")]
    [InlineData("\"lastSeen\": \"2024-05-06T07:08:09Z\"")]
    [InlineData("\"lastSeen\": \"2024-05-06T07:08:09.123456789+02:00\"")]
    [InlineData("\"alarm\": \"07:30:00\"")]
    [InlineData("\"interval\": \"PT1H30M\"")]
    [InlineData("\"interval\": \"P1Y2M3DT4H5M6.5S\"")]
    [InlineData("\"guid\": \"0f8fad5b-d9cb-469f-a165-70867728950e\"")]
    [InlineData("\"blob\": \"AQID\"")]
    [InlineData("\"location\": {\"type\": \"Point\", \"coordinates\": [1.5, 2]}")]
    [InlineData("\"route\": {\"type\": \"LineString\", \"coordinates\": [[0, 0], [1, 1]]}")]
    [InlineData("\"area\": {\"type\": \"Polygon\", \"coordinates\": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}")]
    [InlineData("\"spots\": {\"type\": \"MultiPoint\", \"coordinates\": [[0, 0], [1, 1]]}")]
    [InlineData("\"routes\": {\"type\": \"MultiLineString\", \"coordinates\": [[[0, 0], [1, 1]]]}")]
    [InlineData("\"areas\": {\"type\": \"MultiPolygon\", \"coordinates\": [[[[0, 0], [1, 0], [1, 1], [0, 0]]]]}")]
    [InlineData("\"hvac\": \"manual\"")]
    [InlineData("\"priority\": 2")]
    [InlineData("\"tags\": {\"a\": 1, \"b c\": 2}")]
    [InlineData("\"info\": {\"city\": \"Oslo\", \"address\": {\"street\": \"Main\"}}")]
    [InlineData("\"info\": {\"city\": null}")]
    [InlineData("\"readings\": [1, 2.5, 3]")]
    [InlineData("\"readings\": []")]
    public void Create_accepts_a_valid_value_of_every_schema_kind(string member)
    {
        var result = Ops.Create("room1", RoomBody(member), T0, E0);
        Assert.True(result.IsSuccess, result.Error?.ToString());
    }

    [Theory]
    [InlineData("\"occupied\": \"yes\"", "occupied", "boolean")]
    [InlineData("\"temperature\": \"hot\"", "temperature", "expects double, got string")]
    [InlineData("\"count\": 2147483648", "count", "integer")]
    [InlineData("\"count\": 1.5", "count", "integer")]
    [InlineData("\"big\": 9223372036854775808", "big", "long")]
    [InlineData("\"small\": 32768", "small", "short")]
    [InlineData("\"tiny\": 128", "tiny", "byte")]
    [InlineData("\"ubyte\": -1", "ubyte", "unsignedByte")]
    [InlineData("\"ushort\": 65536", "ushort", "unsignedShort")]
    [InlineData("\"uint\": -1", "uint", "unsignedInteger")]
    [InlineData("\"ulong\": -1", "ulong", "unsignedLong")]
    [InlineData("\"ratio\": 1e300", "ratio", "float")]
    [InlineData("\"price\": \"12\"", "price", "decimal")]
    [InlineData("\"name\": 5", "name", "string")]
    [InlineData("\"opened\": \"2023-02-29\"", "opened", "date")]
    [InlineData("\"opened\": \"2024-1-01\"", "opened", "date")]
    [InlineData("\"lastSeen\": \"2024-05-06 07:08\"", "lastSeen", "dateTime")]
    [InlineData("\"lastSeen\": \"2024-05-06T07:08:09\"", "lastSeen", "dateTime")]
    [InlineData("\"alarm\": \"25:00:00\"", "alarm", "time")]
    [InlineData("\"interval\": \"P\"", "interval", "duration")]
    [InlineData("\"interval\": \"1 hour\"", "interval", "duration")]
    [InlineData("\"guid\": \"not-a-guid\"", "guid", "uuid")]
    [InlineData("\"blob\": \"***\"", "blob", "base64")]
    [InlineData("\"location\": {\"type\": \"LineString\", \"coordinates\": [1, 2]}", "location", "Point")]
    [InlineData("\"location\": {\"type\": \"Point\", \"coordinates\": [1]}", "location", "coordinates")]
    [InlineData("\"location\": [1, 2]", "location", "Point")]
    [InlineData("\"route\": {\"type\": \"LineString\", \"coordinates\": [[0, 0]]}", "route", "coordinates")]
    [InlineData("\"area\": {\"type\": \"Polygon\", \"coordinates\": [[[0, 0], [1, 0], [1, 1], [2, 2]]]}", "area", "coordinates")]
    [InlineData("\"hvac\": \"off\"", "hvac", "enum")]
    [InlineData("\"priority\": \"1\"", "priority", "enum")]
    [InlineData("\"priority\": 3", "priority", "enum")]
    [InlineData("\"tags\": {\"a\": \"x\"}", "tags['a']", "integer")]
    [InlineData("\"tags\": {\"a\": null}", "tags['a']", "null")]
    [InlineData("\"tags\": [1]", "tags", "map")]
    [InlineData("\"info\": {\"country\": \"NO\"}", "info.country", "not a field")]
    [InlineData("\"info\": {\"address\": {\"street\": 1}}", "info.address.street", "string")]
    [InlineData("\"readings\": [1, \"2\"]", "readings[1]", "double")]
    [InlineData("\"readings\": [null]", "readings[0]", "null")]
    [InlineData("\"readings\": {}", "readings", "array")]
    [InlineData("\"undeclared\": 1", "undeclared", "not declared")]
    [InlineData("\"humidity\": 1", "humidity", "Telemetry")]
    [InlineData("\"contains\": 1", "contains", "Relationship")]
    [InlineData("\"reboot\": 1", "reboot", "Command")]
    public void Create_refuses_an_invalid_value_naming_the_property_and_the_reason(string member, string path, string reason)
    {
        var error = CreateFails(RoomBody(member), "ValidationFailed");
        Assert.Contains($"'{path}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Create_without_a_model_fails_validation() =>
        CreateFails(Obj("""{"$metadata": {}, "temperature": 1}"""), "ValidationFailed");

    [Fact]
    public void Create_with_an_unknown_model_fails_with_ModelNotFound() =>
        CreateFails(Obj("""{"$metadata": {"$model": "dtmi:test:Nope;1"}}"""), "ModelNotFound");

    [Fact]
    public void Create_ignores_dtId_and_etag_in_the_body()
    {
        var twin = Room("\"$dtId\": \"other\", \"$etag\": \"W/\\\"x\\\"\"");
        Assert.Equal("room1", twin.Id);
        Assert.Equal(E0, twin.ETag);
    }

    [Fact]
    public void Create_requires_every_declared_component()
    {
        var error = CreateFails(Obj("""{"$metadata": {"$model": "dtmi:test:Room;1"}}"""), "ValidationFailed");
        Assert.Contains("thermostat", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_requires_a_component_to_carry_its_own_metadata_object()
    {
        var error = CreateFails(Obj("""{"$metadata": {"$model": "dtmi:test:Room;1"}, "thermostat": {"setPoint": 20}}"""), "ValidationFailed");
        Assert.Contains("$metadata", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_validates_component_properties_against_the_component_interface()
    {
        var error = CreateFails(Obj("""{"$metadata": {"$model": "dtmi:test:Room;1"}, "thermostat": {"$metadata": {}, "setPoint": "x"}}"""), "ValidationFailed");
        Assert.Contains("'thermostat.setPoint'", error.Message, StringComparison.Ordinal);
        error = CreateFails(Obj("""{"$metadata": {"$model": "dtmi:test:Room;1"}, "thermostat": {"$metadata": {}, "temp": 1}}"""), "ValidationFailed");
        Assert.Contains("Telemetry", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_accepts_inherited_properties_on_a_subtype()
    {
        var result = Ops.Create("c1", Obj("""{"$metadata": {"$model": "dtmi:test:ConferenceRoom;1"}, "thermostat": {"$metadata": {}}, "temperature": 20, "capacity": 12}"""), T0, E0);
        Assert.True(result.IsSuccess, result.Error?.ToString());
    }

    [Fact]
    public void Create_treats_a_null_property_as_not_set()
    {
        var twin = Room("\"temperature\": null, \"name\": \"x\"");
        Assert.False(twin.TryGetProperty("temperature", out _));
        Assert.True(twin.TryGetProperty("name", out _));
    }

    [Fact]
    public void Create_refuses_a_string_over_the_limit_and_accepts_one_at_the_limit()
    {
        Room($"\"name\": \"{new string('a', 4096)}\"");
        var error = CreateFails(RoomBody($"\"name\": \"{new string('é', 2049)}\""), "ValidationFailed");
        Assert.Contains("4096", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_refuses_a_map_key_longer_than_the_name_limit()
    {
        var error = CreateFails(RoomBody($"\"tags\": {{\"{new string('k', 1025)}\": 1}}"), "ValidationFailed");
        Assert.Contains("1024", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_refuses_a_twin_larger_than_the_twin_limit()
    {
        var ops = new TwinOperations(TestModels.Default, new TwinLimits { MaxTwinBytes = 200 });
        var result = ops.Create("room1", RoomBody($"\"name\": \"{new string('a', 300)}\""), T0, E0);
        Assert.Equal("ValidationFailed", result.Error?.Code);
        Assert.Contains("limit is 200", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Limits_are_configurable()
    {
        var ops = new TwinOperations(TestModels.Default, new TwinLimits { MaxStringBytes = 3 });
        Assert.False(ops.Create("room1", RoomBody("\"name\": \"abcd\""), T0, E0).IsSuccess);
        Assert.True(ops.Create("room1", RoomBody("\"name\": \"abc\""), T0, E0).IsSuccess);
    }

    [Fact]
    public void Create_honours_sourceTime_in_metadata()
    {
        var body = Obj("""{"$metadata": {"$model": "dtmi:test:Room;1", "temperature": {"sourceTime": "2022-05-31T12:00:00.000125009Z"}}, "thermostat": {"$metadata": {"setPoint": {"sourceTime": "2022-05-31T12:00:00Z"}}, "setPoint": 20}, "temperature": 1}""");
        var twin = Ops.Create("room1", body, T0, E0).Value!;
        var json = twin.ToJson();
        Assert.Equal("2022-05-31T12:00:00.0001250Z", (string?)json["$metadata"]!["temperature"]!["sourceTime"]);
        Assert.Equal("2022-05-31T12:00:00.0000000Z", (string?)json["thermostat"]!["$metadata"]!["setPoint"]!["sourceTime"]);
    }

    [Fact]
    public void Create_refuses_a_sourceTime_that_is_not_a_date_time() =>
        CreateFails(Obj("""{"$metadata": {"$model": "dtmi:test:Room;1", "temperature": {"sourceTime": "yesterday"}}, "thermostat": {"$metadata": {}}, "temperature": 1}"""), "ValidationFailed");

    [Fact]
    public void Create_refuses_a_sourceTime_for_a_property_without_a_value() =>
        CreateFails(Obj("""{"$metadata": {"$model": "dtmi:test:Room;1", "temperature": {"sourceTime": "2022-05-31T12:00:00Z"}}, "thermostat": {"$metadata": {}}}"""), "ValidationFailed");
}
