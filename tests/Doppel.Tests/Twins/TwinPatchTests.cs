using Doppel.Twins;
using static Doppel.Tests.Twins.Fx;

namespace Doppel.Tests.Twins;

public sealed class TwinPatchTests
{
    [Fact]
    public void Replace_sets_a_new_value_etag_and_timestamps_only_for_the_touched_property()
    {
        var twin = Patched(Room("\"temperature\": 1, \"name\": \"a\""), """[{"op":"replace","path":"/temperature","value":2}]""");
        var json = twin.ToJson();
        Assert.Equal(2, (double)json["temperature"]!);
        Assert.Equal(E1, twin.ETag);
        Assert.Equal(T1, twin.LastUpdateTime);
        Assert.Equal("2024-05-06T07:09:09.1234567Z", (string?)json["$metadata"]!["temperature"]!["lastUpdateTime"]);
        Assert.Equal("2024-05-06T07:08:09.1234567Z", (string?)json["$metadata"]!["name"]!["lastUpdateTime"]);
        Assert.Equal("2024-05-06T07:08:09.1234567Z", (string?)json["thermostat"]!["$metadata"]!["$lastUpdateTime"]);
    }

    [Fact]
    public void The_original_document_is_unchanged_by_a_patch()
    {
        var original = Room("\"info\": {\"city\": \"Oslo\"}");
        var before = original.ToJsonString();
        Patched(original, """[{"op":"replace","path":"/info/city","value":"Bergen"},{"op":"add","path":"/thermostat/setPoint","value":1}]""");
        Assert.Equal(before, original.ToJsonString());
    }

    [Fact]
    public void Add_creates_a_missing_property() =>
        Assert.Equal("3", Prop(Patched(Room(), """[{"op":"add","path":"/count","value":3}]"""), "count"));

    [Fact]
    public void Replace_of_a_missing_property_is_JsonPatchInvalid() =>
        Assert.Contains("path does not exist", PatchFails(Room(), """[{"op":"replace","path":"/count","value":3}]""", "JsonPatchInvalid").Message, StringComparison.Ordinal);

    [Fact]
    public void Remove_of_a_missing_property_is_JsonPatchInvalid_naming_the_operation()
    {
        var error = PatchFails(Room("\"count\": 1"), """[{"op":"remove","path":"/count"},{"op":"remove","path":"/name"}]""", "JsonPatchInvalid");
        Assert.Contains("Operation 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("path does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Remove_deletes_the_property_and_its_metadata()
    {
        var json = Patched(Room("\"count\": 1"), """[{"op":"remove","path":"/count"}]""").ToJson();
        Assert.Null(json["count"]);
        Assert.Null(json["$metadata"]!["count"]);
    }

    [Fact]
    public void Add_to_a_map_key_and_remove_a_map_key()
    {
        var twin = Patched(Room("\"tags\": {\"a\": 1}"), """[{"op":"add","path":"/tags/b","value":2},{"op":"remove","path":"/tags/a"}]""");
        Assert.Equal("{\"b\":2}", Prop(twin, "tags"));
    }

    [Fact]
    public void Escaped_pointer_tokens_address_keys_containing_slash_and_tilde()
    {
        var twin = Patched(Room("\"tags\": {}"), """[{"op":"add","path":"/tags/a~1b~0c","value":1}]""");
        Assert.Equal("{\"a/b~c\":1}", Prop(twin, "tags"));
        twin = Patched(twin, """[{"op":"remove","path":"/tags/a~1b~0c"}]""");
        Assert.Equal("{}", Prop(twin, "tags"));
    }

    [Fact]
    public void A_nested_object_field_can_be_added_and_replaced()
    {
        var twin = Patched(Room("\"info\": {\"city\": \"Oslo\", \"address\": {}}"), """[{"op":"replace","path":"/info/city","value":"Bergen"},{"op":"add","path":"/info/address/street","value":"Main"}]""");
        Assert.Equal("{\"city\":\"Bergen\",\"address\":{\"street\":\"Main\"}}", Prop(twin, "info"));
        Assert.Equal(T1, twin.ToJson()["$metadata"]!["info"]!["lastUpdateTime"]!.GetValue<string>() is var s ? DateTimeOffset.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : default);
    }

    [Fact]
    public void A_nested_value_is_validated_against_the_schema()
    {
        var error = PatchFails(Room("\"info\": {}"), """[{"op":"add","path":"/info/floor","value":"two"}]""", "ValidationFailed");
        Assert.Contains("'info.floor'", error.Message, StringComparison.Ordinal);
        PatchFails(Room("\"info\": {}"), """[{"op":"add","path":"/info/country","value":"NO"}]""", "ValidationFailed");
    }

    [Fact]
    public void A_path_below_a_missing_property_or_field_does_not_exist()
    {
        PatchFails(Room(), """[{"op":"add","path":"/info/city","value":"x"}]""", "JsonPatchInvalid");
        PatchFails(Room("\"info\": {}"), """[{"op":"add","path":"/info/address/street","value":"x"}]""", "JsonPatchInvalid");
        PatchFails(Room("\"temperature\": 1"), """[{"op":"add","path":"/temperature/x","value":1}]""", "JsonPatchInvalid");
    }

    [Fact]
    public void Array_elements_can_be_added_replaced_and_removed_by_index()
    {
        var twin = Patched(Room("\"readings\": [1, 2]"), """[{"op":"add","path":"/readings/-","value":3},{"op":"add","path":"/readings/0","value":0},{"op":"replace","path":"/readings/1","value":9},{"op":"remove","path":"/readings/2"}]""");
        Assert.Equal("[0,9,3]", Prop(twin, "readings"));
        PatchFails(twin, """[{"op":"replace","path":"/readings/3","value":1}]""", "JsonPatchInvalid");
        PatchFails(twin, """[{"op":"add","path":"/readings/01","value":1}]""", "JsonPatchInvalid");
    }

    [Fact]
    public void A_patch_is_all_or_nothing()
    {
        var twin = Room("\"temperature\": 1");
        PatchFails(twin, """[{"op":"replace","path":"/temperature","value":2},{"op":"add","path":"/count","value":"x"}]""", "ValidationFailed");
        Assert.Equal("1", Prop(twin, "temperature"));
    }

    [Fact]
    public void Undeclared_and_non_property_contents_cannot_be_patched()
    {
        PatchFails(Room(), """[{"op":"add","path":"/undeclared","value":1}]""", "ValidationFailed");
        PatchFails(Room(), """[{"op":"add","path":"/humidity","value":1}]""", "ValidationFailed");
    }

    [Fact]
    public void Twin_identity_and_system_metadata_cannot_be_patched()
    {
        PatchFails(Room(), """[{"op":"replace","path":"/$dtId","value":"x"}]""", "JsonPatchInvalid");
        PatchFails(Room(), """[{"op":"replace","path":"/$metadata/$lastUpdateTime","value":"2024-01-01T00:00:00Z"}]""", "JsonPatchInvalid");
        PatchFails(Room(), """[{"op":"remove","path":"/$metadata/$model"}]""", "JsonPatchInvalid");
        PatchFails(Room(), """[{"op":"replace","path":"","value":{}}]""", "JsonPatchInvalid");
    }

    [Fact]
    public void Setting_a_property_to_null_removes_it()
    {
        var twin = Patched(Room("\"temperature\": 1"), """[{"op":"replace","path":"/temperature","value":null},{"op":"add","path":"/count","value":null}]""");
        Assert.Null(Prop(twin, "temperature"));
        Assert.Null(Prop(twin, "count"));
    }

    [Fact]
    public void Changing_the_model_revalidates_every_property()
    {
        var twin = Patched(Room("\"temperature\": 1"), """[{"op":"replace","path":"/$metadata/$model","value":"dtmi:test:ConferenceRoom;1"},{"op":"add","path":"/capacity","value":10}]""");
        Assert.Equal(TestModels.ConferenceRoom, twin.Model);
        var error = PatchFails(Room("\"temperature\": 1"), """[{"op":"replace","path":"/$metadata/$model","value":"dtmi:test:Bare;1"}]""", "ValidationFailed");
        Assert.Contains("'temperature'", error.Message, StringComparison.Ordinal);
        Patched(Room("\"temperature\": 1"), """[{"op":"replace","path":"/$metadata/$model","value":"dtmi:test:Bare;1"},{"op":"replace","path":"/temperature","value":"warm"},{"op":"remove","path":"/thermostat"}]""");
    }

    [Fact]
    public void Changing_to_an_unknown_model_is_ModelNotFound() =>
        PatchFails(Room(), """[{"op":"replace","path":"/$metadata/$model","value":"dtmi:test:Nope;1"}]""", "ModelNotFound");

    [Fact]
    public void Properties_of_the_new_model_are_patchable_in_the_same_request_only_after_the_model_change() =>
        PatchFails(Room(), """[{"op":"add","path":"/capacity","value":10},{"op":"replace","path":"/$metadata/$model","value":"dtmi:test:Bare;1"}]""", "ValidationFailed");

    [Fact]
    public void SourceTime_can_be_set_and_removed_without_touching_lastUpdateTime()
    {
        var twin = Patched(Room("\"temperature\": 1"), """[{"op":"add","path":"/$metadata/temperature/sourceTime","value":"2022-05-31T12:00:00Z"}]""");
        var metadata = twin.ToJson()["$metadata"]!["temperature"]!;
        Assert.Equal("2022-05-31T12:00:00.0000000Z", (string?)metadata["sourceTime"]);
        Assert.Equal("2024-05-06T07:08:09.1234567Z", (string?)metadata["lastUpdateTime"]);
        twin = Patched(twin, """[{"op":"remove","path":"/$metadata/temperature/sourceTime"}]""");
        Assert.Null(twin.ToJson()["$metadata"]!["temperature"]!["sourceTime"]);
    }

    [Fact]
    public void A_value_update_without_sourceTime_clears_the_old_sourceTime()
    {
        var twin = Patched(Room("\"temperature\": 1"), """[{"op":"replace","path":"/temperature","value":2},{"op":"add","path":"/$metadata/temperature/sourceTime","value":"2022-05-31T12:00:00Z"}]""");
        Assert.NotNull(twin.ToJson()["$metadata"]!["temperature"]!["sourceTime"]);
        twin = Patched(twin, """[{"op":"replace","path":"/temperature","value":3}]""");
        Assert.Null(twin.ToJson()["$metadata"]!["temperature"]!["sourceTime"]);
    }

    [Fact]
    public void SourceTime_must_be_a_date_time_for_a_set_property()
    {
        PatchFails(Room("\"temperature\": 1"), """[{"op":"add","path":"/$metadata/temperature/sourceTime","value":"soon"}]""", "ValidationFailed");
        PatchFails(Room(), """[{"op":"add","path":"/$metadata/temperature/sourceTime","value":"2022-05-31T12:00:00Z"}]""", "ValidationFailed");
    }

    [Fact]
    public void Component_properties_are_patched_through_the_component_path_with_their_own_metadata()
    {
        var twin = Patched(Room("\"temperature\": 1"), """[{"op":"add","path":"/thermostat/setPoint","value":20}]""");
        var json = twin.ToJson();
        Assert.Equal(20, (double)json["thermostat"]!["setPoint"]!);
        Assert.Equal("2024-05-06T07:09:09.1234567Z", (string?)json["thermostat"]!["$metadata"]!["$lastUpdateTime"]);
        Assert.Equal("2024-05-06T07:08:09.1234567Z", (string?)json["$metadata"]!["temperature"]!["lastUpdateTime"]);
        PatchFails(twin, """[{"op":"replace","path":"/thermostat/setPoint","value":"x"}]""", "ValidationFailed");
        PatchFails(twin, """[{"op":"replace","path":"/thermostat/nope","value":1}]""", "JsonPatchInvalid");
    }

    [Fact]
    public void A_whole_component_can_be_replaced_but_must_keep_its_metadata_object()
    {
        var twin = Patched(Room(), """[{"op":"replace","path":"/thermostat","value":{"$metadata":{},"mode":"eco"}}]""");
        Assert.Equal("eco", (string?)twin.ToJson()["thermostat"]!["mode"]);
        PatchFails(Room(), """[{"op":"replace","path":"/thermostat","value":{"mode":"eco"}}]""", "ValidationFailed");
        PatchFails(Room(), """[{"op":"remove","path":"/thermostat"}]""", "ValidationFailed");
    }

    [Fact]
    public void PatchComponent_applies_paths_relative_to_the_component()
    {
        var patch = Patch("""[{"op":"add","path":"/setPoint","value":20},{"op":"add","path":"/$metadata/setPoint/sourceTime","value":"2022-05-31T12:00:00Z"}]""");
        var twin = Ops.PatchComponent(Room(), "thermostat", patch, T1, E1).Value!;
        Assert.Equal("2022-05-31T12:00:00.0000000Z", (string?)twin.ToJson()["thermostat"]!["$metadata"]!["setPoint"]!["sourceTime"]);
        Assert.Equal(E1, twin.ETag);
    }

    [Fact]
    public void PatchComponent_of_an_unknown_component_is_ComponentNotFound() =>
        Assert.Equal("ComponentNotFound", Ops.PatchComponent(Room(), "nope", Patch("[]"), T1, E1).Error?.Code);

    [Fact]
    public void A_patch_may_not_grow_the_twin_over_the_limit()
    {
        var ops = new TwinOperations(TestModels.Default, new TwinLimits { MaxTwinBytes = 300 });
        var twin = Room("\"name\": \"a\"", ops: ops);
        var result = ops.Patch(twin, Patch("[{\"op\":\"add\",\"path\":\"/info\",\"value\":{\"city\":\"" + new string('x', 290) + "\"}}]"), T1, E1);
        Assert.Equal("ValidationFailed", result.Error?.Code);
    }
}
