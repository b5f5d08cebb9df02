using Doppel.Modeling;
using static Doppel.Tests.Modeling.Dtdl;

namespace Doppel.Tests.Modeling;

/// <summary>Rules of the DTDL specifications the parser enforces, and inputs that once threw out of it.</summary>
public sealed class SpecRuleTests
{
    private const string Id = "dtmi:com:example:Thing;1";

    // ---- Inputs that threw (a 500 on POST /models) ----

    [Theory]
    [InlineData("\"mapKey\": \"dtmi:com:example:Thing:k;1\", \"mapValue\": { \"name\": \"v\", \"schema\": \"double\" }", "undefined-reference")]
    [InlineData("\"mapKey\": [ { \"name\": \"k\", \"schema\": \"string\" }, { \"name\": \"k2\", \"schema\": \"string\" } ], \"mapValue\": { \"name\": \"v\", \"schema\": \"double\" }", "single-value")]
    [InlineData("\"mapKey\": { \"name\": \"k\", \"schema\": \"string\" }, \"mapValue\": \"dtmi:com:example:Thing:v;1\"", "undefined-reference")]
    [InlineData("\"mapKey\": { \"name\": \"k\", \"schema\": \"string\" }, \"mapValue\": [ 1 ]", "type-mismatch")]
    public void Map_key_and_value_given_as_reference_or_array_are_errors_not_crashes(string members, string rule)
    {
        AssertError(Parse(V3(Id, $$"""{ "@type": "Property", "name": "m", "schema": { "@type": "Map", {{members}} } }""")), rule);
    }

    [Theory]
    [InlineData("\"request\": \"dtmi:com:example:Thing:req;1\"", "undefined-reference")]
    [InlineData("\"response\": [ { \"name\": \"a\", \"schema\": \"double\" }, { \"name\": \"b\", \"schema\": \"double\" } ]", "single-value")]
    [InlineData("\"request\": 3", "type-mismatch")]
    public void Command_payloads_given_as_reference_or_array_are_errors_not_crashes(string members, string rule)
    {
        AssertError(Parse(V3(Id, $$"""{ "@type": "Command", "name": "c", {{members}} }""")), rule);
    }

    [Fact]
    public void A_dependent_reference_to_an_element_of_the_same_interface_is_followed()
    {
        var m = AssertValid(Parse(V3(Id, """
            { "@type": "Property", "name": "m", "schema": { "@type": "Map", "mapKey": "dtmi:com:example:Thing:key;1", "mapValue": { "name": "v", "schema": "double" } } },
            { "@type": "Property", "name": "m2", "schema": { "@type": "Map", "mapKey": { "@id": "dtmi:com:example:Thing:key;1", "name": "k", "schema": "string" }, "mapValue": { "name": "v", "schema": "long" } } }
            """)), Id);
        Assert.Equal("k", Assert.IsType<MapSchema>(Assert.IsType<PropertyDef>(m.Contents["m"]).Schema).KeyName);
    }

    [Fact]
    public void Enum_value_without_enumValue_is_an_error_not_a_crash()
    {
        AssertError(Parse(V3(Id, """{ "@type": "Property", "name": "e", "schema": { "@type": "Enum", "valueSchema": "string", "enumValues": [ { "name": "a" } ] } }""")), "missing-property");
    }

    [Fact]
    public void No_input_throws_out_of_the_parser()
    {
        // Deeply nested JSON goes past System.Text.Json's depth limit: a json-syntax error, not an exception.
        var deep = string.Concat(Enumerable.Repeat("[", 1000)) + string.Concat(Enumerable.Repeat("]", 1000));
        AssertError(Parse(deep), "json-syntax");

        // A lone surrogate cannot be transcoded to UTF-8: System.Text.Json throws ArgumentException, not JsonException.
        AssertError(Parse("\ud800"), "json-syntax");
        AssertError(Parse(V3(Id, extra: ", \"displayName\": \"\ud800\"")), "json-syntax");

        // An escaped lone surrogate parses, then throws InvalidOperationException when the string is read.
        AssertError(Parse(V3(Id, extra: ", \"displayName\": { \"en\": \"\\ude00\" }")), "json-syntax", "$.displayName.en");
        AssertError(Parse(V3(Id, extra: ", \"\\ud800x\": 1")), "json-syntax");
        foreach (var json in new[] { "null", "3", "\"x\"", "[null]", "{}", """{ "@context": null }""", """{ "@context": "dtmi:dtdl:context;3", "@type": null }""" })
        {
            Assert.False(Parse(json).IsValid, json);
        }
    }

    // ---- What must be refused ----

    [Fact]
    public void CommandType_takes_only_synchronous_or_asynchronous()
    {
        AssertValid(Parse(V3(Id, """{ "@type": "Command", "name": "c", "commandType": "dtmi:dtdl:instance:CommandType:asynchronous;3" }""")), Id);
        AssertError(Parse(V2(Id, """{ "@type": "Command", "name": "c", "commandType": "sometimes" }""")), "invalid-value", "$.contents[0].commandType");
    }

    [Theory]
    [InlineData("[\"Property\", \"Telemetry\"]", "invalid-type")]
    [InlineData("[\"Property\", \"Interface\"]", "invalid-type")]
    [InlineData("[\"Property\", \"double\"]", "invalid-cotype")]
    [InlineData("[\"Property\", \"dtmi:dtdl:class:Schema;2\"]", "invalid-cotype")]
    [InlineData("[\"Property\", \"dtmi:com:example:Flavor;1\"]", "unknown-cotype")]
    public void Type_members_that_are_neither_the_class_nor_a_cotype_are_refused_even_in_v2(string type, string rule)
    {
        var r = Parse(V2(Id, $$"""{ "@type": {{type}}, "name": "p", "schema": "double" }"""));
        Assert.Contains(r.Errors, e => e.Rule == rule && e.Path == "$.contents[0].@type");
    }

    [Fact]
    public void V2_accepts_an_undefined_term_as_an_informal_cotype()
    {
        var r = Parse(V2(Id, """{ "@type": ["Property", "Flavor"], "name": "p", "schema": "double", "taste": "sweet" }"""));
        AssertValid(r, Id);
        Assert.Contains(r.Warnings, w => w.Rule == "informal-cotype");
    }

    [Fact]
    public void Semantic_type_needs_its_unit()
    {
        AssertError(Parse(V2(Id, """{ "@type": ["Telemetry", "Temperature"], "name": "t", "schema": "double" }""")), "missing-property", "$.contents[0]");
        AssertError(Parse(V3(Id, """{ "@type": ["Telemetry", "Temperature"], "name": "t", "schema": "double" }""", context: """["dtmi:dtdl:context;3", "dtmi:dtdl:extension:quantitativeTypes;1"]""")), "missing-property");
    }

    [Fact]
    public void Duplicate_id_of_any_element_in_a_model_is_refused()
    {
        AssertError(Parse(V3(Id, """
            { "@id": "dtmi:com:example:Thing:p;1", "@type": "Property", "name": "p", "schema": "double" },
            { "@id": "dtmi:com:example:Thing:p;1", "@type": "Telemetry", "name": "t", "schema": "double" }
            """)), "duplicate-id", "$.contents[1].@id");
    }

    [Fact]
    public void Inline_interface_cannot_use_the_schemas_of_its_parent()
    {
        AssertError(Parse(V3(Id, """
            { "@type": "Component", "name": "c", "schema": { "@id": "dtmi:com:example:Inner;1", "@type": "Interface",
              "contents": [ { "@type": "Telemetry", "name": "t", "schema": "dtmi:com:example:Thing:pair;1" } ] } }
            """, """, "schemas": [ { "@id": "dtmi:com:example:Thing:pair;1", "@type": "Object", "fields": [ { "name": "a", "schema": "integer" } ] } ]""")), "unreferenceable");
    }

    [Fact]
    public void Reserved_prefixes_are_refused_for_identifiers()
    {
        AssertError(Parse(V3("dtmi:dtdl:example:Thing;1")), "reserved-dtmi");
        AssertError(Parse(V3(Id, """{ "@id": "dtmi:standard:Thing:p;1", "@type": "Property", "name": "p", "schema": "double" }""")), "reserved-dtmi");
    }

    [Fact]
    public void V2_interface_cannot_extend_a_v3_one_but_v3_may_extend_v2()
    {
        const string b = "dtmi:com:example:Base;1";
        AssertError(Parse(V2(Id, extra: $$""", "extends": "{{b}}" """), V3(b)), "extends-version", "$.extends");
        AssertValid(Parse(V3(Id, extra: $$""", "extends": "{{b}}" """), V2(b)), Id);
    }

    [Fact]
    public void Annotation_needs_a_property_or_telemetry_to_annotate()
    {
        const string ctx = """["dtmi:dtdl:context;3", "dtmi:dtdl:extension:annotation;1"]""";
        AssertValid(Parse(V3(Id, """
            { "@type": "Property", "name": "p", "schema": "double" },
            { "@type": ["Property", "ValueAnnotation"], "name": "a", "annotates": "p", "schema": "string" }
            """, context: ctx)), Id);
        AssertError(Parse(V3(Id, """{ "@type": ["Property", "ValueAnnotation"], "name": "a", "annotates": "nothing", "schema": "string" }""", context: ctx)), "annotation-target");
        AssertError(Parse(V3(Id, """{ "@type": ["Property", "ValueAnnotation"], "name": "a", "schema": "string" }""", context: ctx)), "missing-property");
    }

    // ---- DTDL v4 ----

    [Fact]
    public void V4_models_load_with_their_new_schemas()
    {
        var m = AssertValid(Parse(V4(Id, """
            { "@type": "Property", "name": "b", "schema": "byte" },
            { "@type": "Property", "name": "u", "schema": "dtmi:dtdl:instance:Schema:uuid;4" },
            { "@type": "Telemetry", "name": "d", "schema": "scaledDecimal" },
            { "@type": "Command", "name": "c", "request": { "name": "r", "schema": "unsignedLong", "nullable": true } }
            """)), Id);
        Assert.Equal(4, m.DtdlVersion);
        Assert.Equal(PrimitiveKind.Byte, ((PrimitiveSchema)((PropertyDef)m.Contents["b"]).Schema).Kind);
        Assert.Equal(["scale", "value"], Assert.IsType<ObjectSchema>(((TelemetryDef)m.Contents["d"]).Schema).Fields.Select(f => f.Name));
        Assert.True(m.Commands.Single().Request!.Nullable);

        AssertError(Parse(V3(Id, """{ "@type": "Property", "name": "b", "schema": "byte" }""")), "unsupported-schema");
        AssertError(Parse(V3(Id, """{ "@type": "Command", "name": "c", "request": { "name": "r", "schema": "long", "nullable": true } }""")), "unknown-property");
    }

    [Fact]
    public void V4_limits_nesting_to_eight_and_extends_to_twelve()
    {
        string Nest(int n) => n == 0 ? "\"double\"" : $$"""{ "@type": "Array", "elementSchema": {{Nest(n - 1)}} }""";
        AssertValid(Parse(V4(Id, $$"""{ "@type": "Telemetry", "name": "t", "schema": {{Nest(8)}} }""")), Id);
        AssertError(Parse(V4(Id, $$"""{ "@type": "Telemetry", "name": "t", "schema": {{Nest(9)}} }""")), "schema-depth");

        var chain = Enumerable.Range(0, 14).Select(i => V4($"dtmi:com:example:I{i};1", extra: i == 0 ? "" : $$""", "extends": "dtmi:com:example:I{{i - 1}};1" """)).ToArray();
        var r = Parse(chain);
        Assert.Contains(r.Errors, e => e.Rule == "extends-depth" && e.Document == "models[13]");
        Assert.DoesNotContain(r.Errors, e => e.Document == "models[12]");
    }

    [Fact]
    public void V4_schemas_may_refer_to_themselves()
    {
        var m = AssertValid(Parse(V4(Id, """{ "@type": "Telemetry", "name": "tree", "schema": "dtmi:com:example:Thing:node;1" }""",
            """, "schemas": [ { "@id": "dtmi:com:example:Thing:node;1", "@type": "Object", "fields": [ { "name": "children", "schema": { "@type": "Array", "elementSchema": "dtmi:com:example:Thing:node;1" } } ] } ]""")), Id);
        var node = Assert.IsType<ObjectSchema>(((TelemetryDef)m.Contents["tree"]).Schema);
        Assert.Same(node, Assert.IsType<ArraySchema>(node.Fields.Single().Schema).ElementSchema);
    }

    [Fact]
    public void V4_extensions_and_limit_contexts()
    {
        AssertValid(Parse(V3(Id, """
            { "@type": ["Telemetry", "Temperature", "Historized"], "name": "t", "schema": "double", "unit": "degreeCelsius" },
            { "@type": "Property", "name": "p", "schema": { "@type": "Object", "fields": [ { "@type": ["Field", "Required"], "name": "x", "schema": "double" } ] } }
            """, context: """["dtmi:dtdl:context;4", "dtmi:dtdl:extension:quantitativeTypes;2", "dtmi:dtdl:extension:historization;2", "dtmi:dtdl:extension:requirement;1"]""")), Id);
        Assert.Contains(Parse(V3(Id, context: """["dtmi:dtdl:context;4", "dtmi:dtdl:extension:quantitativeTypes;1"]""")).Warnings, w => w.Rule == "extension-version");
        AssertError(Parse(V3(Id, """{ "@type": ["Telemetry", "Temperature"], "name": "t", "schema": "double", "unit": "degreeCelsius" }""",
            context: """["dtmi:dtdl:context;4", "dtmi:dtdl:extension:quantitativeTypes;1"]""")), "invalid-cotype");

        string Nest(int n) => n == 0 ? "\"double\"" : $$"""{ "@type": "Array", "elementSchema": {{Nest(n - 1)}} }""";
        var deep = $$"""{ "@type": "Telemetry", "name": "t", "schema": {{Nest(20)}} }""";
        var onvif = new ModelParserOptions { LimitExtensions = ["dtmi:dtdl:limits:onvif;1"] };
        AssertValid(Parse(onvif, V3(Id, deep, context: """["dtmi:dtdl:context;4#limitless", "dtmi:dtdl:limits:onvif;1"]""")), Id);
        AssertError(Parse(V3(Id, deep, context: """["dtmi:dtdl:context;4#limitless", "dtmi:dtdl:context;4#limits"]""")), "schema-depth");
        AssertError(Parse(onvif, V3(Id, context: """["dtmi:dtdl:context;4", "dtmi:dtdl:limits:onvif;1"]""")), "context-order");
        AssertError(Parse(V3(Id, context: """["dtmi:dtdl:context;3#limitless"]""")), "context-syntax");
    }

    [Fact]
    public void Mqtt_v3_result_types_need_mqtt_v3()
    {
        const string content = """{ "@type": "Property", "name": "p", "schema": { "@type": ["Object", "Result"], "fields": [ { "@type": ["Field", "NormalResult"], "name": "x", "schema": "double" } ] } }""";
        AssertValid(Parse(V3(Id, content, context: """["dtmi:dtdl:context;4", "dtmi:dtdl:extension:mqtt;3"]""")), Id);
        Assert.Contains(Parse(V3(Id, content, context: """["dtmi:dtdl:context;4", "dtmi:dtdl:extension:mqtt;2"]""")).Errors, e => e.Rule == "unknown-cotype");
    }

    [Fact]
    public void An_empty_array_is_no_value()
    {
        AssertValid(Parse(V3(Id, """{ "@type": "Relationship", "name": "r", "target": [], "maxMultiplicity": [], "writable": [] }""")), Id);
        AssertError(Parse(V3(Id, """{ "@type": "Property", "name": [], "schema": "double" }""")), "missing-property");
    }

    [Fact]
    public void V2_tolerates_unknown_keywords_but_not_graph()
    {
        var r = Parse(V2(Id, """{ "@type": "Property", "name": "p", "schema": "double", "@flavor": 1 }"""));
        AssertValid(r, Id);
        Assert.Contains(r.Warnings, w => w.Rule == "invalid-keyword");
        AssertError(Parse(V2(Id, """{ "@type": "Property", "name": "p", "schema": "double", "@graph": [] }""")), "invalid-keyword");
    }

    [Fact]
    public void Elements_may_include_earlier_versions_but_not_later_ones()
    {
        AssertError(Parse(V3(Id, """{ "@context": "dtmi:dtdl:context;4", "@type": "Telemetry", "name": "t", "schema": "byte" }""")), "version-mixing");
        AssertError(Parse(V3(Id, """{ "@type": "Component", "name": "c", "schema": "dtmi:com:example:New;1" }"""), V4("dtmi:com:example:New;1")), "component-version");
        AssertError(Parse(V3(Id, extra: """, "extends": "dtmi:com:example:New;1" """), V4("dtmi:com:example:New;1")), "extends-version");
        AssertValid(Parse(V4(Id, """{ "@context": "dtmi:dtdl:context;2", "@type": "Telemetry", "name": "t", "schema": "double" }""")), Id);
    }

    [Fact]
    public void Enum_value_schema_and_map_key_schema_take_earlier_versions_identifiers()
    {
        AssertValid(Parse(V4(Id, """
            { "@type": "Property", "name": "e", "schema": { "@type": "Enum", "valueSchema": "dtmi:dtdl:instance:Schema:integer;2", "enumValues": [ { "name": "a", "enumValue": 1 } ] } },
            { "@type": "Property", "name": "m", "schema": { "@type": "Map", "mapKey": { "name": "k", "schema": "dtmi:dtdl:instance:Schema:string;3" }, "mapValue": { "name": "v", "schema": "double" } } }
            """)), Id);
    }

    [Fact]
    public void Extension_rules_from_the_metamodel()
    {
        const string mqtt = """["dtmi:dtdl:context;3", "dtmi:dtdl:extension:mqtt;1"]""";
        AssertError(Parse(V3(Id, """{ "@type": ["Command", "Cacheable"], "name": "c", "ttl": "PT10S" }""", context: mqtt)), "invalid-cotype");
        AssertValid(Parse(V3(Id, """{ "@type": ["Command", "Cacheable", "Idempotent"], "name": "c", "ttl": "PT10S" }""", context: mqtt)), Id);
        AssertError(Parse(V3(Id, """
            { "@type": ["Telemetry", "Indexed"], "name": "a", "schema": "double", "index": 1 },
            { "@type": ["Telemetry", "Indexed"], "name": "b", "schema": "double", "index": 1 }
            """, context: mqtt)), "duplicate-index", "$.contents[1].index");

        const string annotation = """["dtmi:dtdl:context;3", "dtmi:dtdl:extension:annotation;1"]""";
        AssertError(Parse(V3(Id, """
            { "@type": "Property", "name": "p", "schema": "double" },
            { "@type": ["Property", "ValueAnnotation"], "name": "a", "annotates": "p", "schema": "string" },
            { "@type": ["Property", "ValueAnnotation"], "name": "b", "annotates": "a", "schema": "string" }
            """, context: annotation)), "annotation-target", "$.contents[2].annotates");

        // Overriding's own example: a unit type of QuantitativeTypes is an Enum of its units.
        var m = AssertValid(Parse(V3(Id, """
            { "@type": ["Telemetry", "Temperature"], "name": "temp", "schema": "double", "unit": "degreeCelsius" },
            { "@type": ["Property", "ValueAnnotation", "Override"], "name": "tempUnit", "annotates": "temp", "overrides": "unit", "schema": "TemperatureUnit", "writable": true }
            """, context: """["dtmi:dtdl:context;3", "dtmi:dtdl:extension:quantitativeTypes;1", "dtmi:dtdl:extension:annotation;1", "dtmi:dtdl:extension:overriding;1"]""")), Id);
        Assert.Contains(Assert.IsType<EnumSchema>(((PropertyDef)m.Contents["tempUnit"]).Schema).EnumValues, v => (string)v.Value == "kelvin");
    }

    [Fact]
    public void A_reference_must_name_an_element_of_the_class_the_member_takes()
    {
        // The referenced element has no @type: its place (a Map's mapValue) makes it a MapValue, which is not a MapKey.
        AssertError(Parse(V3(Id, """
            { "@type": "Telemetry", "name": "a", "schema": { "@type": "Map", "mapKey": { "name": "k", "schema": "string" }, "mapValue": { "@id": "dtmi:com:example:Thing:val;1", "name": "v", "schema": "string" } } },
            { "@type": "Telemetry", "name": "b", "schema": { "@type": "Map", "mapKey": "dtmi:com:example:Thing:val;1", "mapValue": { "name": "w", "schema": "double" } } }
            """)), "type-mismatch", "$.contents[1].schema.mapKey");
    }
}
