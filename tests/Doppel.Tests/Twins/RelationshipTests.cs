using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.Twins;
using static Doppel.Tests.Twins.Fx;

namespace Doppel.Tests.Twins;

public sealed class RelationshipTests
{
    private static readonly TwinDocument Source = Room();
    private static readonly TwinDocument Sensor = Ops.Create("s1", Obj("""{"$metadata":{"$model":"dtmi:test:Sensor;1"}}"""), T0, E0).Value!;
    private static readonly TwinDocument SmartSensor = Ops.Create("s2", Obj("""{"$metadata":{"$model":"dtmi:test:SmartSensor;1"}}"""), T0, E0).Value!;
    private static readonly TwinDocument Floor = Ops.Create("f1", Obj("""{"$metadata":{"$model":"dtmi:test:Floor;1"}}"""), T0, E0).Value!;

    private static Result<RelationshipDocument> Create(string body, TwinDocument? target, int existing = 0) =>
        Ops.CreateRelationship(Source, "r1", Obj(body), target, existing, E0);

    [Fact]
    public void A_valid_relationship_has_the_ADT_shape()
    {
        var r = Create("""{"$targetId":"s1","$relationshipName":"contains","weight":1.5,"$sourceId":"ignored"}""", Sensor).Value!;
        var expected = """{"$relationshipId":"r1","$etag":"W/\"00000000-0000-0000-0000-000000000000\"","$sourceId":"room1","$relationshipName":"contains","$targetId":"s1","weight":1.5}""";
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), r.ToJson()), r.ToJsonString());
        Assert.Equal(r.ToJsonString(), RelationshipDocument.FromStoredJson(r.ToJsonString()).ToJsonString());
    }

    [Fact]
    public void The_incoming_item_links_to_the_relationship()
    {
        var r = Create("""{"$targetId":"s1","$relationshipName":"contains"}""", Sensor).Value!;
        var expected = """{"$relationshipId":"r1","$sourceId":"room1","$relationshipName":"contains","$relationshipLink":"/digitaltwins/room1/relationships/r1"}""";
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), r.ToIncomingJson()));
    }

    [Theory]
    [InlineData("""{"$relationshipName":"contains"}""")]
    [InlineData("""{"$targetId":"s1"}""")]
    public void TargetId_and_relationshipName_are_required(string body) =>
        Assert.Equal("ValidationFailed", Create(body, Sensor).Error?.Code);

    [Fact]
    public void An_undeclared_name_is_InvalidRelationship_naming_the_allowed_names()
    {
        var error = Create("""{"$targetId":"s1","$relationshipName":"owns"}""", Sensor).Error!;
        Assert.Equal("InvalidRelationship", error.Code);
        Assert.Contains("adjacentTo, contains, near", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_inherited_from_a_base_model_is_allowed()
    {
        var conference = Ops.Create("c1", Obj("""{"$metadata":{"$model":"dtmi:test:ConferenceRoom;1"},"thermostat":{"$metadata":{}}}"""), T0, E0).Value!;
        Assert.True(Ops.CreateRelationship(conference, "r1", Obj("""{"$targetId":"s1","$relationshipName":"contains"}"""), Sensor, 0, E0).IsSuccess);
    }

    [Fact]
    public void A_missing_target_is_TargetTwinNotFound() =>
        Assert.Equal("TargetTwinNotFound", Create("""{"$targetId":"s9","$relationshipName":"contains"}""", null).Error?.Code);

    [Fact]
    public void A_relationship_to_itself_is_OperationNotAllowed() =>
        Assert.Equal("OperationNotAllowed", Create("""{"$targetId":"room1","$relationshipName":"near"}""", Source).Error?.Code);

    [Fact]
    public void The_target_must_be_the_declared_interface_or_a_subtype()
    {
        Assert.True(Create("""{"$targetId":"s2","$relationshipName":"contains"}""", SmartSensor).IsSuccess);
        Assert.Equal("InvalidRelationship", Create("""{"$targetId":"f1","$relationshipName":"contains"}""", Floor).Error?.Code);
        Assert.True(Create("""{"$targetId":"f1","$relationshipName":"near"}""", Floor).IsSuccess);
    }

    [Fact]
    public void Max_multiplicity_is_enforced()
    {
        Assert.True(Create("""{"$targetId":"s1","$relationshipName":"contains"}""", Sensor, existing: 1).IsSuccess);
        Assert.Equal("InvalidRelationship", Create("""{"$targetId":"s1","$relationshipName":"contains"}""", Sensor, existing: 2).Error?.Code);
    }

    [Theory]
    [InlineData("\"weight\":\"heavy\"")]
    [InlineData("\"since\":\"yesterday\"")]
    [InlineData("\"color\":\"red\"")]
    [InlineData("\"labels\":{\"a\":1}")]
    public void Relationship_properties_are_validated_against_the_definition(string member) =>
        Assert.Equal("ValidationFailed", Create("""{"$targetId":"s1","$relationshipName":"contains",""" + member + "}", Sensor).Error?.Code);

    [Fact]
    public void Patch_changes_relationship_properties_only()
    {
        var r = Create("""{"$targetId":"s1","$relationshipName":"contains","labels":{}}""", Sensor).Value!;
        var patched = Ops.PatchRelationship(r, Source, Patch("""[{"op":"add","path":"/weight","value":2},{"op":"add","path":"/labels/a","value":"b"}]"""), E1).Value!;
        Assert.Equal(2, patched.ToJson()["weight"]!.GetValue<double>());
        Assert.Equal("b", (string?)patched.ToJson()["labels"]!["a"]);
        Assert.Equal(E1, patched.ETag);
        Assert.Equal("JsonPatchInvalid", Ops.PatchRelationship(r, Source, Patch("""[{"op":"replace","path":"/$targetId","value":"s2"}]"""), E1).Error?.Code);
        Assert.Equal("ValidationFailed", Ops.PatchRelationship(r, Source, Patch("""[{"op":"add","path":"/weight","value":"x"}]"""), E1).Error?.Code);
        Assert.Equal("JsonPatchInvalid", Ops.PatchRelationship(r, Source, Patch("""[{"op":"remove","path":"/weight"}]"""), E1).Error?.Code);
        Assert.False(r.TryGetProperty("weight", out _));
    }
}

public sealed class TelemetryTests
{
    private static JsonElement El(string json) => JsonDocument.Parse(json).RootElement.Clone();

    [Fact]
    public void Declared_telemetry_with_values_of_its_schema_is_valid() =>
        Assert.True(Ops.ValidateTelemetry(Room(), null, El("""{"humidity": 40.5, "status": {"ok": true}}""")).IsSuccess);

    [Theory]
    [InlineData("""{"humidity": "wet"}""", "humidity")]
    [InlineData("""{"temperature": 1}""", "temperature")]
    [InlineData("""{"status": {"bad": 1}}""", "status.bad")]
    [InlineData("""[1]""", "object")]
    public void Undeclared_or_mistyped_telemetry_fails_validation(string body, string mention)
    {
        var error = Ops.ValidateTelemetry(Room(), null, El(body)).Error!;
        Assert.Equal("ValidationFailed", error.Code);
        Assert.Contains(mention, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Component_telemetry_is_checked_against_the_component_interface()
    {
        Assert.True(Ops.ValidateTelemetry(Room(), "thermostat", El("""{"temp": 20}""")).IsSuccess);
        Assert.Equal("ValidationFailed", Ops.ValidateTelemetry(Room(), "thermostat", El("""{"humidity": 20}""")).Error?.Code);
        Assert.Equal("ComponentNotFound", Ops.ValidateTelemetry(Room(), "nope", El("""{"temp": 20}""")).Error?.Code);
    }
}
