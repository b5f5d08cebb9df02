using Doppel.Modeling;
using static Doppel.Tests.Modeling.Dtdl;

namespace Doppel.Tests.Modeling;

public sealed class ModelParserTests
{
    private const string Id = "dtmi:com:example:Thing;1";

    // ---- Interface, contents, versions ----

    [Fact]
    public void V3_interface_with_every_content_kind_is_parsed()
    {
        var m = AssertValid(Parse(V3(Id, """
            { "@type": "Property", "name": "setPoint", "schema": "double", "writable": true },
            { "@type": "Telemetry", "name": "temp", "schema": "float" },
            { "@type": "Command", "name": "reboot", "request": { "name": "delay", "schema": "duration" }, "response": { "name": "ok", "schema": "boolean" } },
            { "@type": "Relationship", "name": "feeds", "target": "dtmi:com:example:Thing;1", "maxMultiplicity": 3, "writable": true,
              "properties": [ { "@type": "Property", "name": "since", "schema": "dateTime" } ] },
            { "@type": "Component", "name": "part", "schema": "dtmi:com:example:Part;1" }
            """), V3("dtmi:com:example:Part;1")), Id);

        Assert.Equal(3, m.DtdlVersion);
        Assert.True(Assert.IsType<PropertyDef>(m.Contents["setPoint"]).Writable);
        Assert.Equal(PrimitiveKind.Float, ((PrimitiveSchema)Assert.IsType<TelemetryDef>(m.Contents["temp"]).Schema).Kind);
        var cmd = Assert.IsType<CommandDef>(m.Contents["reboot"]);
        Assert.Equal("delay", cmd.Request!.Name);
        var rel = Assert.IsType<RelationshipDef>(m.Contents["feeds"]);
        Assert.Equal(3, rel.MaxMultiplicity);
        Assert.Equal("since", Assert.Single(rel.Properties).Name);
        Assert.Equal("dtmi:com:example:Part;1", Assert.IsType<ComponentDef>(m.Contents["part"]).Schema.Value);
    }

    [Fact]
    public void V2_interface_with_command_type_and_payloads_is_parsed()
    {
        var m = AssertValid(Parse(V2(Id, """
            { "@type": "Command", "name": "reboot", "commandType": "synchronous", "request": { "@type": "CommandPayload", "name": "delay", "schema": "integer" } }
            """)), Id);
        Assert.Equal(2, m.DtdlVersion);
        Assert.Equal("delay", m.Commands.Single().Request!.Name);
    }

    [Fact]
    public void Context_may_be_an_array_and_extensions_are_recorded()
    {
        var m = AssertValid(Parse(V3(Id, context: """["dtmi:dtdl:context;3", "dtmi:dtdl:extension:historization;1"]""")), Id);
        Assert.Equal("dtmi:dtdl:extension:historization;1", Assert.Single(m.Extensions).Value);
    }

    [Fact]
    public void Missing_context_is_rejected()
    {
        var r = Parse("""{ "@id": "dtmi:com:example:Thing;1", "@type": "Interface" }""");
        AssertError(r, "missing-context", "$");
    }

    [Fact]
    public void Unsupported_dtdl_version_is_rejected()
    {
        AssertError(Parse(V3(Id, context: "\"dtmi:dtdl:context;5\"")), "unsupported-version", "$.@context");
    }

    [Fact]
    public void V3_context_must_come_first()
    {
        AssertError(Parse(V3(Id, context: """["dtmi:dtdl:extension:historization;1", "dtmi:dtdl:context;3"]""")), "context-order");
    }

    [Fact]
    public void Document_may_hold_an_array_of_interfaces_and_bom_is_accepted()
    {
        var r = Parse("\uFEFF[" + V3(Id) + "," + V3("dtmi:com:example:Other;1") + "]");
        Assert.True(r.IsValid, string.Join("\n", r.Errors));
        Assert.Equal(2, r.Interfaces.Count);
    }

    [Fact]
    public void Invalid_json_is_reported_with_the_document_name()
    {
        var e = AssertError(Parse("{ not json"), "json-syntax", "$");
        Assert.Equal("models[0]", e.Document);
    }

    [Fact]
    public void Wrong_interface_type_is_rejected_saying_what_was_expected()
    {
        var e = AssertError(Parse("""{ "@context": "dtmi:dtdl:context;3", "@id": "dtmi:com:example:Thing;1", "@type": "Telemetry" }"""), "invalid-type", "$.@type");
        Assert.Contains("\"Interface\"", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_property_on_an_element_is_rejected_and_named()
    {
        var e = AssertError(Parse(V3(Id, """{ "@type": "Telemetry", "name": "t", "schema": "double", "colour": "red" }""")), "unknown-property", "$.contents[0].colour");
        Assert.Contains("'colour'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_required_property_is_rejected()
    {
        var e = AssertError(Parse(V3(Id, """{ "@type": "Telemetry", "name": "t" }""")), "missing-property", "$.contents[0]");
        Assert.Contains("'schema'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void All_errors_of_a_batch_are_reported_not_only_the_first()
    {
        var r = Parse(
            V3(Id, """{ "@type": "Telemetry", "name": "1bad", "schema": "double" }, { "@type": "Property", "name": "p", "schema": "nope" }"""),
            V3("dtmi:com:example:Bad_;1"));
        Assert.Contains(r.Errors, e => e.Rule == "name-syntax" && e.Document == "models[0]");
        Assert.Contains(r.Errors, e => e.Rule == "unknown-schema" && e.Path == "$.contents[1].schema");
        Assert.Contains(r.Errors, e => e.Rule == "dtmi-syntax" && e.Document == "models[1]");
    }

    [Fact]
    public void Duplicate_content_names_are_rejected()
    {
        AssertError(Parse(V3(Id, """{ "@type": "Telemetry", "name": "t", "schema": "double" }, { "@type": "Property", "name": "t", "schema": "double" }""")), "duplicate-name", "$.contents[1].name");
    }

    [Fact]
    public void Duplicate_interface_ids_in_a_set_are_rejected()
    {
        AssertError(Parse(V3(Id), V3(Id)), "duplicate-id");
    }

    // ---- DTMI rules ----

    [Theory]
    [InlineData("dtmi:com:example:Thing", 3, true)]
    [InlineData("dtmi:com:example:Thing;1.2", 3, true)]
    [InlineData("dtmi:com:example:Thing;1.0", 3, false)]
    [InlineData("dtmi:com:example:Thing;01", 3, false)]
    [InlineData("dtmi:com:example:Thing;1234567890", 3, false)]
    [InlineData("dtmi:com:_example:Thing;1", 3, false)]
    [InlineData("dtmi:com:example_:Thing;1", 3, false)]
    [InlineData("dtmi:com:9example:Thing;1", 3, false)]
    [InlineData("dtmi:com:ex-ample;1", 3, false)]
    [InlineData("urn:com:example;1", 3, false)]
    [InlineData("dtmi:com:example:Thing", 2, false)]
    [InlineData("dtmi:com:example:Thing;1.2", 2, false)]
    [InlineData("dtmi:com:example:Thing;7", 2, true)]
    public void Interface_id_follows_dtmi_syntax_for_the_dtdl_version(string id, int version, bool valid)
    {
        var r = Parse(version == 3 ? V3(id) : V2(id));
        if (valid)
        {
            AssertValid(r, id);
        }
        else
        {
            Assert.Equal("$.@id", AssertError(r, "dtmi-syntax").Path);
        }
    }

    [Fact]
    public void Interface_id_longer_than_128_characters_is_rejected()
    {
        AssertError(Parse(V3("dtmi:com:" + new string('a', 120) + ";1")), "dtmi-length", "$.@id");
    }

    [Fact]
    public void Reserved_dtmi_prefix_is_rejected()
    {
        AssertError(Parse(V3("dtmi:dtdl:mine;1")), "reserved-dtmi", "$.@id");
    }

    // ---- Names, texts, limits ----

    [Fact]
    public void Name_longer_than_64_characters_is_rejected_in_v2_but_not_in_v3()
    {
        var name = new string('n', 65);
        var content = $$"""{ "@type": "Telemetry", "name": "{{name}}", "schema": "double" }""";
        AssertError(Parse(V2(Id, content)), "name-length", "$.contents[0].name");
        AssertValid(Parse(V3(Id, content)), Id);
        AssertError(Parse(V3(Id, content.Replace(name, new string('n', 513), StringComparison.Ordinal))), "name-length");
    }

    [Fact]
    public void Localized_display_name_accepts_language_maps_and_enforces_length()
    {
        var m = AssertValid(Parse(V3(Id, extra: """, "displayName": { "en": "Room", "fr": "Pièce" }, "description": "plain" """)), Id);
        Assert.Equal("Pièce", m.DisplayName.Get("fr"));
        Assert.Equal("plain", m.Description.Get());
        AssertError(Parse(V2(Id, extra: $$""", "displayName": "{{new string('x', 65)}}" """)), "displayName-length", "$.displayName");
        AssertError(Parse(V3(Id, extra: $$""", "description": { "en": "{{new string('x', 513)}}" } """)), "description-length", "$.description.en");
    }

    [Fact]
    public void V2_contents_limit_of_300_includes_inherited_contents()
    {
        string Many(int from, int n) => string.Join(",", Enumerable.Range(from, n).Select(i => $$"""{ "@type": "Telemetry", "name": "t{{i}}", "schema": "double" }"""));
        var r = Parse(V2("dtmi:com:example:Base;1", Many(0, 200)), V2(Id, Many(200, 101), """, "extends": "dtmi:com:example:Base;1" """));
        AssertError(r, "contents-count");
    }

    // ---- Schemas ----

    [Theory]
    [InlineData("boolean")]
    [InlineData("date")]
    [InlineData("dateTime")]
    [InlineData("double")]
    [InlineData("duration")]
    [InlineData("float")]
    [InlineData("integer")]
    [InlineData("long")]
    [InlineData("string")]
    [InlineData("time")]
    [InlineData("point")]
    [InlineData("lineString")]
    [InlineData("polygon")]
    [InlineData("multiPoint")]
    [InlineData("multiLineString")]
    [InlineData("multiPolygon")]
    public void Every_primitive_schema_is_accepted_in_telemetry(string schema)
    {
        var m = AssertValid(Parse(V3(Id, $$"""{ "@type": "Telemetry", "name": "t", "schema": "{{schema}}" }""")), Id);
        Assert.Equal(schema, ((PrimitiveSchema)m.Telemetries.Single().Schema).Term);
    }

    [Theory]
    [InlineData("unsignedLong")]
    [InlineData("uuid")]
    [InlineData("bytes")]
    public void Dtdl_v4_numeric_and_binary_schemas_are_refused_with_the_version_named(string schema)
    {
        var e = AssertError(Parse(V3(Id, $$"""{ "@type": "Telemetry", "name": "t", "schema": "{{schema}}" }""")), "unsupported-schema", "$.contents[0].schema");
        Assert.Contains("v4", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Property_with_unknown_schema_is_rejected_with_its_path()
    {
        AssertError(Parse(V3(Id, """{ "@type": "Property", "name": "p", "schema": "decimalish" }""")), "unknown-schema", "$.contents[0].schema");
    }

    [Fact]
    public void Complex_schemas_inline_by_interface_schemas_and_by_dtmi_are_resolved()
    {
        var m = AssertValid(Parse(V3(Id, """
            { "@type": "Telemetry", "name": "a", "schema": { "@type": "Array", "elementSchema": "double" } },
            { "@type": "Property", "name": "e", "schema": { "@type": "Enum", "valueSchema": "string", "enumValues": [ { "name": "on", "enumValue": "ON" }, { "name": "off", "enumValue": "OFF" } ] } },
            { "@type": "Property", "name": "m", "schema": { "@type": "Map", "mapKey": { "name": "k", "schema": "string" }, "mapValue": { "name": "v", "schema": "long" } } },
            { "@type": "Telemetry", "name": "o", "schema": "dtmi:com:example:Thing:vec;1" }
            """, """, "schemas": [ { "@id": "dtmi:com:example:Thing:vec;1", "@type": "Object", "fields": [ { "name": "x", "schema": "double" } ] } ]""")), Id);

        Assert.IsType<ArraySchema>(m.Telemetries.First(t => t.Name == "a").Schema);
        var e = Assert.IsType<EnumSchema>(m.Properties.First(p => p.Name == "e").Schema);
        Assert.Equal(["ON", "OFF"], e.EnumValues.Select(v => v.Value));
        Assert.Equal("v", Assert.IsType<MapSchema>(m.Properties.First(p => p.Name == "m").Schema).ValueName);
        var o = Assert.IsType<ObjectSchema>(m.Telemetries.First(t => t.Name == "o").Schema);
        Assert.Same(o, Assert.Single(m.Schemas));
    }

    [Fact]
    public void Schemas_of_another_interface_cannot_be_referenced()
    {
        // DTDL "Partitions and referenceability": an element that is not an Interface is referenceable only within its Interface.
        var r = Parse(V3(Id, """{ "@type": "Telemetry", "name": "o2", "schema": "dtmi:com:example:Shared:pair;1" }"""),
            V3("dtmi:com:example:Shared;1", extra: """, "schemas": [ { "@id": "dtmi:com:example:Shared:pair;1", "@type": "Object", "fields": [ { "name": "a", "schema": "integer" } ] } ]"""));
        AssertError(r, "unreferenceable", "$.contents[0].schema");
    }

    [Fact]
    public void Undefined_schema_dtmi_is_rejected()
    {
        AssertError(Parse(V3(Id, """{ "@type": "Telemetry", "name": "t", "schema": "dtmi:com:example:Nope;1" }""")), "undefined-reference", "$.contents[0].schema");
    }

    [Fact]
    public void Enum_names_and_values_must_be_unique_and_match_the_value_schema()
    {
        var r = Parse(V3(Id, """{ "@type": "Property", "name": "e", "schema": { "@type": "Enum", "valueSchema": "integer", "enumValues": [ { "name": "a", "enumValue": 1 }, { "name": "a", "enumValue": 1 }, { "name": "c", "enumValue": "x" } ] } }"""));
        AssertError(r, "duplicate-name", "$.contents[0].schema.enumValues[1].name");
        AssertError(r, "duplicate-enum-value", "$.contents[0].schema.enumValues[1].enumValue");
        AssertError(r, "type-mismatch", "$.contents[0].schema.enumValues[2].enumValue");
    }

    [Fact]
    public void Enum_value_schema_must_be_integer_or_string()
    {
        AssertError(Parse(V3(Id, """{ "@type": "Property", "name": "e", "schema": { "@type": "Enum", "valueSchema": "double", "enumValues": [] } }""")), "enum-value-schema");
    }

    [Fact]
    public void V2_requires_at_least_one_enum_value_and_one_object_field_but_v3_does_not()
    {
        const string c = """{ "@type": "Property", "name": "e", "schema": { "@type": "Enum", "valueSchema": "integer", "enumValues": [] } }, { "@type": "Property", "name": "o", "schema": { "@type": "Object", "fields": [] } }""";
        var r = Parse(V2(Id, c));
        AssertError(r, "enum-count");
        AssertError(r, "object-field-count");
        AssertValid(Parse(V3(Id, c)), Id);
    }

    [Fact]
    public void Map_key_must_be_string()
    {
        AssertError(Parse(V3(Id, """{ "@type": "Property", "name": "m", "schema": { "@type": "Map", "mapKey": { "name": "k", "schema": "integer" }, "mapValue": { "name": "v", "schema": "long" } } }""")),
            "map-key-schema", "$.contents[0].schema.mapKey.schema");
    }

    [Fact]
    public void Object_field_names_must_be_unique()
    {
        AssertError(Parse(V3(Id, """{ "@type": "Telemetry", "name": "o", "schema": { "@type": "Object", "fields": [ { "name": "x", "schema": "double" }, { "name": "x", "schema": "double" } ] } }""")),
            "duplicate-name", "$.contents[0].schema.fields[1].name");
    }

    [Fact]
    public void Complex_schemas_nested_deeper_than_five_levels_are_rejected()
    {
        string Nest(int n) => n == 0 ? "\"double\"" : $$"""{ "@type": "Array", "elementSchema": {{Nest(n - 1)}} }""";
        AssertValid(Parse(V3(Id, $$"""{ "@type": "Telemetry", "name": "t", "schema": {{Nest(5)}} }""")), Id);
        AssertError(Parse(V3(Id, $$"""{ "@type": "Telemetry", "name": "t", "schema": {{Nest(6)}} }""")), "schema-depth", "$.contents[0].schema");
    }

    [Fact]
    public void Self_referencing_schema_is_rejected()
    {
        var r = Parse(V3(Id, """{ "@type": "Telemetry", "name": "t", "schema": "dtmi:com:example:Thing:loop;1" }""",
            """, "schemas": [ { "@id": "dtmi:com:example:Thing:loop;1", "@type": "Array", "elementSchema": "dtmi:com:example:Thing:loop;1" } ]"""));
        Assert.Contains(r.Errors, e => e.Rule == "schema-cycle");
    }

    [Fact]
    public void V2_property_cannot_hold_an_array_but_v3_property_can()
    {
        const string c = """{ "@type": "Property", "name": "p", "schema": { "@type": "Array", "elementSchema": "double" } }""";
        AssertError(Parse(V2(Id, c)), "property-array", "$.contents[0].schema");
        AssertValid(Parse(V3(Id, c)), Id);
    }

    [Fact]
    public void Single_object_is_accepted_where_a_set_is_expected()
    {
        var m = AssertValid(Parse(V3(Id, """{ "@type": "Relationship", "name": "r", "properties": { "@type": "Property", "name": "p", "schema": "string" } }""")), Id);
        Assert.Single(m.Relationships.Single().Properties);
    }

    [Fact]
    public void V2_full_property_iris_are_read_as_terms()
    {
        var m = AssertValid(Parse(V2(Id, """{ "@type": "Property", "name": "p", "dtmi:dtdl:property:schema;2": "double" }""")), Id);
        Assert.Equal("double", ((PrimitiveSchema)m.Properties.Single().Schema).Term);
    }

    // ---- Relationships ----

    [Fact]
    public void Relationship_multiplicity_rules_follow_the_version()
    {
        AssertError(Parse(V3(Id, """{ "@type": "Relationship", "name": "r", "minMultiplicity": 1 }""")), "multiplicity", "$.contents[0].minMultiplicity");
        AssertError(Parse(V3(Id, """{ "@type": "Relationship", "name": "r", "maxMultiplicity": 0 }""")), "multiplicity", "$.contents[0].maxMultiplicity");
        AssertError(Parse(V2(Id, """{ "@type": "Relationship", "name": "r", "maxMultiplicity": 501 }""")), "multiplicity", "$.contents[0].maxMultiplicity");
        AssertValid(Parse(V3(Id, """{ "@type": "Relationship", "name": "r", "minMultiplicity": 0, "maxMultiplicity": 501 }""")), Id);
    }

    [Fact]
    public void Undefined_relationship_target_is_a_kept_warning()
    {
        // "target" takes only DTMIs: a non-dependent reference, which does not make a model incomplete (DTDL "Model completeness").
        const string c = """{ "@type": "Relationship", "name": "r", "target": "dtmi:com:example:Elsewhere;1" }""";
        var strict = Parse(V3(Id, c));
        var m = AssertValid(strict, Id);
        Assert.Equal("dtmi:com:example:Elsewhere;1", m.Relationships.Single().Target!.Value);
        Assert.Contains(strict.Warnings, w => w.Rule == "undefined-reference" && w.Path == "$.contents[0].target");
    }

    [Fact]
    public void Relationship_target_resolves_against_existing_models()
    {
        var existing = new ModelCatalog();
        Assert.True(existing.Add([new ModelDocument("a", V3("dtmi:com:example:Elsewhere;1"))], DateTimeOffset.UnixEpoch).IsSuccess);
        var r = new ModelParser().Parse([new ModelDocument("b", V3(Id, """{ "@type": "Relationship", "name": "r", "target": "dtmi:com:example:Elsewhere;1" }"""))], existing);
        AssertValid(r, Id);
    }

    // ---- Components ----

    [Fact]
    public void Component_schema_may_be_inline_and_must_not_contain_components()
    {
        var inline = Parse(V3(Id, """{ "@type": "Component", "name": "c", "schema": { "@type": "Interface", "@id": "dtmi:com:example:Inner;1", "contents": [] } }"""));
        Assert.True(inline.IsValid, string.Join("\n", inline.Errors));
        Assert.Equal(2, inline.Interfaces.Count);

        var nested = Parse(V3(Id, """{ "@type": "Component", "name": "c", "schema": "dtmi:com:example:Mid;1" }"""),
            V3("dtmi:com:example:Mid;1", """{ "@type": "Component", "name": "d", "schema": "dtmi:com:example:Leaf;1" }"""),
            V3("dtmi:com:example:Leaf;1"));
        AssertError(nested, "nested-component", "$.contents[0].schema");
    }

    [Fact]
    public void Undefined_component_schema_is_rejected_unless_lenient()
    {
        const string c = """{ "@type": "Component", "name": "c", "schema": "dtmi:com:example:Missing;1" }""";
        AssertError(Parse(V3(Id, c)), "undefined-reference", "$.contents[0].schema");
        var m = AssertValid(Parse(new ModelParserOptions { AllowUndefinedReferences = true }, V3(Id, c)), Id);
        Assert.Equal("dtmi:com:example:Missing;1", m.Components.Single().Schema.Value);
    }

    // ---- extends ----

    [Fact]
    public void Extends_is_resolved_transitively_across_documents_with_inherited_contents()
    {
        var r = Parse(
            V3("dtmi:com:example:Room;1", """{ "@type": "Property", "name": "area", "schema": "double" }""", """, "extends": ["dtmi:com:example:Space;1"] """),
            V3("dtmi:com:example:Space;1", """{ "@type": "Property", "name": "name", "schema": "string" }""", """, "extends": "dtmi:com:example:Entity;1" """),
            V3("dtmi:com:example:Entity;1", """{ "@type": "Property", "name": "id", "schema": "string" }"""));
        var room = AssertValid(r, "dtmi:com:example:Room;1");
        Assert.Equal(["area", "id", "name"], room.Contents.Keys.Order());
        Assert.Equal("dtmi:com:example:Entity;1", room.Contents["id"].DefinedIn.Value);
        Assert.True(room.IsA(new Dtmi("dtmi:com:example:Entity;1")));
        Assert.Equal(2, room.Ancestors.Count);
    }

    [Fact]
    public void Inline_extends_interface_is_loaded_too()
    {
        var r = Parse(V3(Id, extra: """, "extends": { "@type": "Interface", "@id": "dtmi:com:example:Base;1", "contents": [ { "@type": "Telemetry", "name": "t", "schema": "double" } ] } """));
        var m = AssertValid(r, Id);
        Assert.Contains("t", m.Contents.Keys);
    }

    [Fact]
    public void Extends_name_collision_names_both_origins()
    {
        var r = Parse(
            V3(Id, """{ "@type": "Property", "name": "area", "schema": "double" }""", """, "extends": "dtmi:com:example:Base;1" """),
            V3("dtmi:com:example:Base;1", """{ "@type": "Telemetry", "name": "area", "schema": "double" }"""));
        var e = AssertError(r, "extends-name-collision", "$.contents[0].name");
        Assert.Contains(Id, e.Message, StringComparison.Ordinal);
        Assert.Contains("dtmi:com:example:Base;1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Diamond_inheritance_of_the_same_content_is_not_a_collision()
    {
        var r = Parse(
            V3(Id, extra: """, "extends": ["dtmi:com:example:L;1", "dtmi:com:example:R;1"] """),
            V3("dtmi:com:example:L;1", extra: """, "extends": "dtmi:com:example:Top;1" """),
            V3("dtmi:com:example:R;1", extra: """, "extends": "dtmi:com:example:Top;1" """),
            V3("dtmi:com:example:Top;1", """{ "@type": "Telemetry", "name": "t", "schema": "double" }"""));
        AssertValid(r, Id);
    }

    [Fact]
    public void Extends_cycle_is_refused_with_the_cycle_named()
    {
        var r = Parse(
            V3("dtmi:com:example:A;1", extra: """, "extends": "dtmi:com:example:B;1" """),
            V3("dtmi:com:example:B;1", extra: """, "extends": "dtmi:com:example:A;1" """));
        var e = AssertError(r, "extends-cycle");
        Assert.Contains("dtmi:com:example:A;1 -> dtmi:com:example:B;1 -> dtmi:com:example:A;1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Extends_deeper_than_ten_levels_is_refused()
    {
        var docs = Enumerable.Range(0, 12).Select(i => V3($"dtmi:com:example:L{i};1", extra: i == 0 ? "" : $$""", "extends": "dtmi:com:example:L{{i - 1}};1" """)).ToArray();
        var r = Parse(docs);
        Assert.Contains(r.Errors, e => e.Rule == "extends-depth" && e.Document == "models[11]");
        Assert.DoesNotContain(r.Errors, e => e.Document == "models[10]");
    }

    [Fact]
    public void V2_allows_at_most_two_direct_bases()
    {
        var r = Parse(V2(Id, extra: """, "extends": ["dtmi:com:example:A;1", "dtmi:com:example:B;1", "dtmi:com:example:C;1"] """),
            V2("dtmi:com:example:A;1"), V2("dtmi:com:example:B;1"), V2("dtmi:com:example:C;1"));
        AssertError(r, "extends-count", "$.extends");
    }

    [Fact]
    public void Undefined_base_is_an_error_or_in_lenient_mode_an_ancestor_without_contents()
    {
        const string extra = """, "extends": "dtmi:com:example:Gone;1" """;
        AssertError(Parse(V3(Id, extra: extra)), "undefined-reference", "$.extends");
        var m = AssertValid(Parse(new ModelParserOptions { AllowUndefinedReferences = true }, V3(Id, extra: extra)), Id);
        Assert.True(m.IsA(new Dtmi("dtmi:com:example:Gone;1")));
        Assert.Empty(m.Contents);
    }

    // ---- Co-types and extensions ----

    [Fact]
    public void Semantic_type_with_matching_unit_is_accepted_in_v3_with_quantitative_types()
    {
        var m = AssertValid(Parse(V3(Id, """{ "@type": ["Telemetry", "Temperature"], "name": "t", "schema": "double", "unit": "degreeCelsius" }""",
            context: """["dtmi:dtdl:context;3", "dtmi:dtdl:extension:quantitativeTypes;1"]""")), Id);
        var t = m.Telemetries.Single();
        Assert.Equal("degreeCelsius", t.Unit);
        Assert.Contains("Temperature", t.SemanticTypes);
    }

    [Fact]
    public void Unit_of_the_wrong_unit_type_is_rejected_listing_the_allowed_units()
    {
        var e = AssertError(Parse(V3(Id, """{ "@type": ["Telemetry", "Temperature"], "name": "t", "schema": "double", "unit": "metre" }""",
            context: """["dtmi:dtdl:context;3", "dtmi:dtdl:extension:quantitativeTypes;1"]""")), "unit-mismatch", "$.contents[0].unit");
        Assert.Contains("TemperatureUnit", e.Message, StringComparison.Ordinal);
        Assert.Contains("kelvin", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Semantic_type_needs_a_numeric_schema()
    {
        AssertError(Parse(V2(Id, """{ "@type": ["Telemetry", "Temperature"], "name": "t", "schema": "string", "unit": "kelvin" }""")), "semantic-schema");
    }

    [Fact]
    public void V3_semantic_type_without_quantitative_types_context_is_rejected_with_a_hint()
    {
        var e = AssertError(Parse(V3(Id, """{ "@type": ["Telemetry", "Temperature"], "name": "t", "schema": "double" }""")), "unknown-cotype", "$.contents[0].@type");
        Assert.Contains("quantitativeTypes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void V2_semantic_types_are_native_and_undefined_co_types_are_informal()
    {
        var r = Parse(V2(Id, """{ "@type": ["Telemetry", "Temperature"], "name": "t", "schema": "double", "unit": "kelvin" }, { "@type": ["Telemetry", "Battery"], "name": "b", "schema": "double", "unit": "percent" }"""));
        AssertValid(r, Id);
        Assert.Contains(r.Warnings, w => w.Rule == "informal-cotype");
    }

    [Fact]
    public void Historized_annotation_and_override_extensions_are_validated()
    {
        const string ctx = """["dtmi:dtdl:context;3", "dtmi:dtdl:extension:quantitativeTypes;1", "dtmi:dtdl:extension:historization;1", "dtmi:dtdl:extension:annotation;1", "dtmi:dtdl:extension:overriding;1"]""";
        var m = AssertValid(Parse(V3(Id, """
            { "@type": ["Telemetry", "Temperature", "Historized"], "name": "temp", "schema": "double", "unit": "kelvin" },
            { "@type": ["Property", "ValueAnnotation", "Override"], "name": "tempUnit", "annotates": "temp", "overrides": "unit", "schema": "string" }
            """, context: ctx)), Id);
        Assert.Equal("temp", m.Contents["tempUnit"].Extensions["annotates"]);

        AssertError(Parse(V3(Id, """{ "@type": ["Property", "ValueAnnotation"], "name": "a", "annotates": "nothing", "schema": "string" }""", context: ctx)), "annotation-target", "$.contents[0].annotates");
        AssertError(Parse(V3(Id, """{ "@type": ["Property", "Override"], "name": "a", "overrides": "unit", "schema": "string" }""", context: ctx)), "invalid-cotype");
        AssertError(Parse(V3(Id, """{ "@type": ["Property", "ValueAnnotation"], "name": "a", "schema": "string" }""", context: ctx)), "missing-property", "$.contents[0]");
    }

    [Fact]
    public void Historized_without_its_context_is_rejected()
    {
        AssertError(Parse(V3(Id, """{ "@type": ["Telemetry", "Historized"], "name": "t", "schema": "double" }""")), "unknown-cotype");
    }

    [Fact]
    public void Mqtt_extension_properties_are_validated()
    {
        const string ctx = """["dtmi:dtdl:context;3", "dtmi:dtdl:extension:mqtt;1"]""";
        var m = AssertValid(Parse("""
            { "@context": ["dtmi:dtdl:context;3", "dtmi:dtdl:extension:mqtt;1"], "@id": "dtmi:com:example:Thing;1", "@type": ["Interface", "Mqtt"],
              "payloadFormat": "Json/ecma/404", "telemetryTopic": "sample/{senderId}/telemetry", "commandTopic": "sample/{executorId}/command/{commandName}",
              "contents": [ { "@type": ["Command", "Cacheable", "Idempotent"], "name": "get", "ttl": "PT10M" },
                            { "@type": ["Telemetry", "Indexed"], "name": "t", "schema": "double", "index": 1 } ] }
            """), Id);
        Assert.Equal("Json/ecma/404", m.ExtensionProperties["payloadFormat"]);
        Assert.Contains("Mqtt", m.CoTypes);

        var bad = Parse($$"""{ "@context": {{ctx}}, "@id": "{{Id}}", "@type": ["Interface", "Mqtt"], "payloadFormat": "raw", "telemetryTopic": "a/+/b", "contents": [ { "@type": ["Command", "Cacheable"], "name": "get", "ttl": "ten minutes" }, { "@type": ["Telemetry", "Indexed"], "name": "t", "schema": "double", "index": 0 } ] }""");
        Assert.Equal(3, bad.Errors.Count(e => e.Rule == "extension-value"));
        Assert.Contains(bad.Errors, e => e.Path == "$.telemetryTopic");
        Assert.Contains(bad.Errors, e => e.Path == "$.contents[0].ttl");
        Assert.Contains(bad.Errors, e => e.Path == "$.contents[1].index");
    }

    [Fact]
    public void Unknown_extension_is_an_error_unless_allowed()
    {
        var ctx = """["dtmi:dtdl:context;3", "dtmi:com:example:myExtension;1"]""";
        var content = """{ "@type": ["Telemetry", "Flavour"], "name": "t", "schema": "double", "taste": "sweet" }""";
        var e = AssertError(Parse(V3(Id, content, context: ctx)), "unknown-extension", "$.@context[1]");
        Assert.Contains("dtmi:com:example:myExtension;1", e.Message, StringComparison.Ordinal);

        var allowed = Parse(new ModelParserOptions { AllowUnknownExtensions = true }, V3(Id, content, context: ctx));
        AssertValid(allowed, Id);
        Assert.Contains(allowed.Warnings, w => w.Rule == "unknown-extension");
    }

    // ---- Shipped RealEstateCore subset ----

    [Fact]
    public void RealEstateCore_subset_loads_as_one_set_with_inheritance()
    {
        var documents = ModelData.Load(ModelData.Shipped("rec-v3-subset"));
        var r = new ModelParser().Parse(documents);

        Assert.True(r.IsValid, string.Join("\n", r.Errors));
        Assert.Equal(25, r.Interfaces.Count);
        var sensor = r.Interfaces.Single(i => i.Id.Value == "dtmi:digitaltwins:rec_3_3:device:TemperatureSensor;1");
        Assert.True(sensor.IsA(new Dtmi("dtmi:digitaltwins:rec_3_3:core:Capability;1")));
        var room = r.Interfaces.Single(i => i.Id.Value == "dtmi:digitaltwins:rec_3_3:core:Room;1");
        Assert.Equal("dtmi:digitaltwins:rec_3_3:core:Space;1", room.Contents["isPartOf"].DefinedIn.Value);
        Assert.Contains(room.Components, c => c.Schema.Value == "dtmi:digitaltwins:rec_3_3:SpaceTemperature;1");
    }
}
