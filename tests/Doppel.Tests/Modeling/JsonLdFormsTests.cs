using Doppel.Modeling;
using static Doppel.Tests.Modeling.Dtdl;

namespace Doppel.Tests.Modeling;

/// <summary>DTDL is JSON-LD: the value forms, term identifiers and scoped contexts of the specifications (v2, v3, v4).</summary>
public sealed class JsonLdFormsTests
{
    private const string Id = "dtmi:com:example:Thing;1";

    [Fact]
    public void Single_values_may_be_one_element_arrays_or_value_objects()
    {
        var m = AssertValid(Parse(V3(Id, """
            { "@type": "Property", "name": ["p"], "schema": ["double"], "writable": { "@value": true, "@type": "xsd:boolean" } },
            { "@type": "Relationship", "name": { "@value": "r" }, "maxMultiplicity": [{ "@value": 3, "@type": "xsd:integer" }], "target": ["dtmi:com:example:Other;1"] },
            { "@type": "Telemetry", "name": "t", "schema": { "@type": "Enum", "valueSchema": ["integer"], "enumValues": [ { "name": "a", "enumValue": { "@value": 1 } } ] } }
            """)), Id);
        Assert.True(Assert.IsType<PropertyDef>(m.Contents["p"]).Writable);
        Assert.Equal(3, Assert.IsType<RelationshipDef>(m.Contents["r"]).MaxMultiplicity);
        Assert.Equal(1, Assert.IsType<EnumSchema>(Assert.IsType<TelemetryDef>(m.Contents["t"]).Schema).EnumValues.Single().Value);
    }

    [Theory]
    [InlineData("""{ "@value": 3 }""", "type-mismatch")]
    [InlineData("""{ "@value": "p", "@type": "xsd:integer" }""", "value-object")]
    [InlineData("""{ "@value": "p", "@language": "en" }""", "value-object")]
    [InlineData("""{ "value": "p" }""", "value-object")]
    [InlineData("""["p", "q"]""", "single-value")]
    public void Malformed_value_forms_are_refused(string name, string rule)
    {
        AssertError(Parse(V3(Id, $$"""{ "@type": "Property", "name": {{name}}, "schema": "double" }""")), rule);
    }

    [Fact]
    public void Localizable_strings_take_the_json_ld_forms_and_check_language_codes()
    {
        var m = AssertValid(Parse(V3(Id, extra: """, "displayName": [ { "@language": "en", "@value": "Thing" }, { "@language": "fr-FR", "@value": "Chose" } ], "description": ["hello"]""")), Id);
        Assert.Equal("Chose", m.DisplayName.Get("fr-FR"));
        Assert.Equal("hello", m.Description.Get());

        AssertError(Parse(V3(Id, extra: """, "displayName": { "English": "x" }""")), "language-tag");
        AssertError(Parse(V3(Id, extra: """, "displayName": [ "a", { "@value": "b" } ]""")), "localized-value");
        AssertError(Parse(V3(Id, extra: """, "displayName": [ { "@value": "a", "@language": "de" }, { "@value": "b", "@language": "de" } ]""")), "localized-value");
        AssertError(Parse(V3(Id, extra: """, "displayName": [ { "en": "a" } ]""")), "localized-value");
        Assert.Contains(Parse(V3(Id, extra: """, "displayName": { "@value": "a", "@language": "en" }""")).Errors, e => e.Rule == "language-tag");
    }

    [Fact]
    public void A_single_object_stands_for_a_list_and_its_inline_definitions_count()
    {
        var m = AssertValid(Parse("""
            { "@context": "dtmi:dtdl:context;3", "@id": "dtmi:com:example:Thing;1", "@type": "Interface",
              "contents": { "@type": "Component", "name": "c", "schema": { "@id": "dtmi:com:example:Inner;1", "@type": "Interface" } },
              "schemas": { "@id": "dtmi:com:example:Thing:e;1", "@type": "Enum", "valueSchema": "string", "enumValues": { "name": "a", "enumValue": "A" } },
              "extends": { "@id": "dtmi:com:example:Base;1", "@type": "Interface", "contents": { "@type": "Telemetry", "name": "t", "schema": "double" } } }
            """), Id);
        Assert.True(m.IsA(new Dtmi("dtmi:com:example:Base;1")));
        Assert.IsType<TelemetryDef>(m.Contents["t"]);
        Assert.Equal("A", Assert.IsType<EnumSchema>(Assert.Single(m.Schemas)).EnumValues.Single().Value);
    }

    [Fact]
    public void Standard_terms_may_be_written_as_their_identifiers()
    {
        var m = AssertValid(Parse("""
            { "@context": ["dtmi:dtdl:context;3", "dtmi:dtdl:extension:quantitativeTypes;1"], "@id": "dtmi:com:example:Thing;1", "@type": "dtmi:dtdl:class:Interface;3",
              "dtmi:dtdl:property:contents;3": [
                { "@type": ["dtmi:dtdl:class:Telemetry;3", "dtmi:dtdl:extension:quantitativeTypes:v1:class:Temperature"], "name": "t",
                  "schema": "dtmi:dtdl:instance:Schema:double;3", "unit": "dtmi:dtdl:extension:quantitativeTypes:v1:unit:degreeCelsius" },
                { "@type": ["Property", "dtmi:dtdl:class:Property;3"], "name": "p", "schema": { "@type": "dtmi:dtdl:class:Array;3", "elementSchema": "dtmi:standard:schema:geospatial:point;3" } } ] }
            """), Id);
        Assert.Equal("degreeCelsius", m.Contents["t"].Unit);
        Assert.Equal(PrimitiveKind.Point, ((PrimitiveSchema)Assert.IsType<ArraySchema>(Assert.IsType<PropertyDef>(m.Contents["p"]).Schema).ElementSchema).Kind);

        var v2 = AssertValid(Parse(V2(Id, """{ "@type": ["Telemetry", "dtmi:standard:class:Power;2"], "name": "w", "schema": "double", "unit": "dtmi:standard:unit:gigawatt;2" }""")), Id);
        Assert.Equal("gigawatt", v2.Contents["w"].Unit);
    }

    [Fact]
    public void An_identifier_of_another_version_is_not_a_term()
    {
        AssertError(Parse(V3(Id, """{ "@type": "Telemetry", "name": "t", "schema": "dtmi:dtdl:instance:Schema:double;2" }""")), "undefined-reference");
    }

    [Fact]
    public void Inner_context_scopes_extensions_below_it()
    {
        var m = AssertValid(Parse(V3(Id, """
            { "@context": "dtmi:dtdl:extension:historization;1", "@type": ["Property", "Historized"], "name": "h", "schema": "double" },
            { "@context": [], "@type": "Property", "name": "p", "schema": "double" }
            """)), Id);
        Assert.Contains("Historized", m.Contents["h"].SemanticTypes);

        // Outside the element that names the extension, its co-types are unknown.
        AssertError(Parse(V3(Id, """
            { "@context": "dtmi:dtdl:extension:historization;1", "@type": "Property", "name": "h", "schema": "double" },
            { "@type": ["Property", "Historized"], "name": "p", "schema": "double" }
            """)), "unknown-cotype", "$.contents[1].@type");
    }

    [Fact]
    public void Context_specifiers_are_validated()
    {
        AssertError(Parse(V3(Id, context: """["dtmi:dtdl:context;3", "dtmi:dtdl:extension:historization"]""")), "context-syntax", "$.@context[1]");
        AssertError(Parse(V3(Id, context: """["dtmi:dtdl:context;3", "not a dtmi"]""")), "context-syntax", "$.@context[1]");
        AssertError(Parse(V3(Id, context: """["dtmi:dtdl:context;3", 7]""")), "context-syntax", "$.@context[1]");
        AssertError(Parse(V3(Id, context: "\"dtmi:dtdl:context;3.1\"")), "unsupported-version");
        AssertError(Parse(V3(Id, """{ "@context": "dtmi:dtdl:extension:mqtt", "@type": "Property", "name": "p", "schema": "double" }""")), "context-syntax");
    }

    [Fact]
    public void Unknown_keywords_and_malformed_member_names_are_refused()
    {
        AssertError(Parse(V3(Id, """{ "@type": "Property", "name": "p", "schema": "double", "@foo": 1 }""")), "invalid-keyword", "$.contents[0].@foo");
        AssertError(Parse(V3(Id, """{ "@type": "Property", "name": "p", "schema": "double", "ex:foo": 1 }""")), "invalid-member");
        AssertError(Parse(V3(Id, """{ "@type": "Property", "name": "p", "schema": "double", "dtmi:foo:bar;1": 1 }""")), "unknown-property");
    }

    [Fact]
    public void Undefined_cotypes_and_members_are_accepted_under_an_undefined_extension_when_allowed()
    {
        var options = new ModelParserOptions { AllowUnknownExtensions = true };
        var ctx = """["dtmi:dtdl:context;3", "dtmi:com:example:ext;1"]""";
        AssertValid(Parse(options, V3(Id, """{ "@type": ["Property", "Flavor", "dtmi:com:example:Taste;1"], "name": "p", "schema": "double", "taste": "sweet", "dtmi:com:example:level;1": 3 }""", context: ctx)), Id);
        // A member not defined anywhere needs the element to be informally co-typed.
        AssertError(Parse(options, V3(Id, """{ "@type": "Property", "name": "p", "schema": "double", "taste": "sweet" }""", context: ctx)), "undefined-term");
    }
}
