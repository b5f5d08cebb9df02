namespace Doppel.Modeling.Internal;

/// <summary>The element classes of DTDL, as positions in a model where @type selects one of them.</summary>
internal enum Kind
{
    Interface, Property, Telemetry, Command, CommandPayload, CommandRequest, CommandResponse, Relationship, Component,
    Array, Enum, EnumValue, Map, MapKey, MapValue, Object, Field,
}

/// <summary>The @context features a document may enable.</summary>
[Flags]
internal enum Feature
{
    None = 0,
    QuantitativeTypes = 1,
    Historization = 2,
    Annotation = 4,
    Overriding = 8,
    Mqtt = 16,
    IotCentral = 32,
    Requirement = 64,

    /// <summary>The Onvif limit extension (v4/DTDL.onvif.v1.md): higher description and nesting limits.</summary>
    OnvifLimits = 128,
}

/// <summary>How an extension property's value is checked.</summary>
internal enum ValueRule { String, Iri, Topic, ServiceGroup, Duration, PositiveInteger }

/// <summary>An adjunct type from an extension: where it may co-type and which properties it adds.</summary>
internal sealed record CoTypeDef(string Term, Feature Feature, Kind[] On, (string Name, bool Required, ValueRule Rule)[] Properties, int MinFeatureVersion = 1, string? Requires = null);

/// <summary>The active context of one element: DTDL version, enabled extensions and the terms they define.</summary>
/// <remarks>An element's active context combines its own @context with its structural ancestors' (DTDL v3/v4 "Context").</remarks>
internal sealed class DocContext
{
    public required int Version { get; init; }

    public Feature Features { get; init; }

    /// <summary>Features of active extensions that are defined for other DTDL versions only: their adjunct types cannot co-type this version's elements.</summary>
    public Feature UnusableFeatures { get; init; }

    public int MqttVersion { get; init; }

    /// <summary>An unknown extension was tolerated: its terms cannot be checked (the spec's "contextually incomplete").</summary>
    public bool Incomplete { get; init; }

    public IReadOnlyList<Dtmi> Extensions { get; init; } = [];

    /// <summary>The active extension specifiers, in order, as inner @context members combine with them.</summary>
    public IReadOnlyList<string> Specifiers { get; init; } = [];

    /// <summary>"dtmi:dtdl:context;4#limitless": the core limits are replaced by a limit extension's.</summary>
    public bool Limitless { get; init; }

    public required TermTable Terms { get; init; }

    public bool Has(Feature f) => (Features & f) == f;

    /// <summary>"elementSchema" or "schema" members on a path from a complex schema (Limits and exclusions).</summary>
    public int MaxSchemaDepth => Has(Feature.OnvifLimits) ? 24 : Version >= 4 ? 8 : 5;

    public int MaxExtendsDepth => Version >= 4 ? 12 : 10;

    public int MaxDescription => Has(Feature.OnvifLimits) ? 4096 : 512;

    public int MaxName => Version == 2 ? 64 : 512;

    public int MaxDisplayName => Version == 2 ? 64 : 512;
}

/// <summary>Vocabulary tables taken from the DTDL v2/v3/v4 specs and the extension specs in the reference folder.</summary>
internal static class DtdlTerms
{
    /// <summary>The adjunct types of the extensions, where each may co-type and the properties it adds.</summary>
    public static readonly CoTypeDef[] CoTypes =
    [
        new("Historized", Feature.Historization, [Kind.Property, Kind.Telemetry], []),
        new("ValueAnnotation", Feature.Annotation, [Kind.Property, Kind.Telemetry], [("annotates", true, ValueRule.String)]),
        new("Override", Feature.Overriding, [Kind.Property], [("overrides", true, ValueRule.Iri)]),
        new("Mqtt", Feature.Mqtt, [Kind.Interface], [("payloadFormat", true, ValueRule.String), ("commandTopic", false, ValueRule.Topic), ("telemetryTopic", false, ValueRule.Topic)]),
        new("Idempotent", Feature.Mqtt, [Kind.Command], []),
        new("Cacheable", Feature.Mqtt, [Kind.Command], [("ttl", true, ValueRule.Duration)], Requires: "Idempotent"),
        new("Indexed", Feature.Mqtt, [Kind.EnumValue, Kind.Field, Kind.Telemetry], [("index", true, ValueRule.PositiveInteger)]),
        new("Transparent", Feature.Mqtt, [Kind.CommandRequest, Kind.CommandResponse], [], 2),
        new("Result", Feature.Mqtt, [Kind.Object], [], 3),
        new("NormalResult", Feature.Mqtt, [Kind.Field], [], 3),
        new("ErrorResult", Feature.Mqtt, [Kind.Field], [], 3),
        new("Error", Feature.Mqtt, [Kind.Object], [], 3),
        new("ErrorMessage", Feature.Mqtt, [Kind.Field], [], 3),
        new("Required", Feature.Requirement, [Kind.Field], []),
        new("State", Feature.IotCentral, [Kind.Property, Kind.Telemetry], []),
        new("Event", Feature.IotCentral, [Kind.Property, Kind.Telemetry], []),
        new("Location", Feature.IotCentral, [Kind.Property, Kind.Telemetry], []),
        new("VelocityVector", Feature.IotCentral, [Kind.Property, Kind.Telemetry], []),
        new("AccelerationVector", Feature.IotCentral, [Kind.Property, Kind.Telemetry], []),
    ];

    /// <summary>MQTT v2 adds service-group properties to the Mqtt adjunct type.</summary>
    public static readonly (string Name, bool Required, ValueRule Rule)[] MqttV2Properties =
        [("cmdServiceGroupId", false, ValueRule.ServiceGroup), ("telemServiceGroupId", false, ValueRule.ServiceGroup)];

    public static readonly Dictionary<string, PrimitiveKind> Primitives = new(StringComparer.Ordinal)
    {
        ["boolean"] = PrimitiveKind.Boolean,
        ["date"] = PrimitiveKind.Date,
        ["dateTime"] = PrimitiveKind.DateTime,
        ["double"] = PrimitiveKind.Double,
        ["duration"] = PrimitiveKind.Duration,
        ["float"] = PrimitiveKind.Float,
        ["integer"] = PrimitiveKind.Integer,
        ["long"] = PrimitiveKind.Long,
        ["string"] = PrimitiveKind.String,
        ["time"] = PrimitiveKind.Time,
        ["point"] = PrimitiveKind.Point,
        ["lineString"] = PrimitiveKind.LineString,
        ["polygon"] = PrimitiveKind.Polygon,
        ["multiPoint"] = PrimitiveKind.MultiPoint,
        ["multiLineString"] = PrimitiveKind.MultiLineString,
        ["multiPolygon"] = PrimitiveKind.MultiPolygon,
    };

    /// <summary>Primitive terms of DTDL v4 only: neither the v2 nor the v3 context defines them (see v3/context/DTDL.v3.context.json).</summary>
    public static readonly Dictionary<string, PrimitiveKind> V4Primitives = new(StringComparer.Ordinal)
    {
        ["byte"] = PrimitiveKind.Byte,
        ["bytes"] = PrimitiveKind.Bytes,
        ["decimal"] = PrimitiveKind.Decimal,
        ["short"] = PrimitiveKind.Short,
        ["unsignedByte"] = PrimitiveKind.UnsignedByte,
        ["unsignedInteger"] = PrimitiveKind.UnsignedInteger,
        ["unsignedLong"] = PrimitiveKind.UnsignedLong,
        ["unsignedShort"] = PrimitiveKind.UnsignedShort,
        ["uuid"] = PrimitiveKind.Uuid,
    };

    /// <summary>DTDL v4's scaledDecimal is an Object of a short scale and a decimal value (v4/DTDL.v4.md "Scaled Decimal Schema").</summary>
    public static readonly ObjectSchema ScaledDecimal = new([new Field("scale", PrimitiveSchema.Of(PrimitiveKind.Short)), new Field("value", PrimitiveSchema.Of(PrimitiveKind.Decimal))])
    {
        Id = new Dtmi("dtmi:standard:schema:scaledDecimal;4"),
    };

    /// <summary>The numeric schemas a semantic type requires: v2/v3 double, float, integer, long; v4 adds its new numeric primitives.</summary>
    public static bool IsNumeric(Schema s, int version) => s is PrimitiveSchema p && (p.Kind is PrimitiveKind.Double or PrimitiveKind.Float or PrimitiveKind.Integer or PrimitiveKind.Long
        || (version >= 4 && p.Kind is PrimitiveKind.Byte or PrimitiveKind.Decimal or PrimitiveKind.Short or PrimitiveKind.UnsignedByte or PrimitiveKind.UnsignedInteger or PrimitiveKind.UnsignedLong or PrimitiveKind.UnsignedShort));

    public static bool IsGeospatial(Schema s) =>
        s is PrimitiveSchema { Kind: PrimitiveKind.Point or PrimitiveKind.LineString or PrimitiveKind.Polygon or PrimitiveKind.MultiPoint or PrimitiveKind.MultiLineString or PrimitiveKind.MultiPolygon };

    /// <summary>IoT Central's geopoint and vector schemas are Objects (DTDL.iotcentral.v2.md), modelled as such.</summary>
    public static readonly ObjectSchema GeoPoint = new([new Field("lat", PrimitiveSchema.Of(PrimitiveKind.Double)), new Field("lon", PrimitiveSchema.Of(PrimitiveKind.Double)), new Field("alt", PrimitiveSchema.Of(PrimitiveKind.Double))])
    {
        Id = new Dtmi("dtmi:iotcentral:schema:geopoint;2"),
    };

    public static readonly ObjectSchema Vector = new([new Field("x", PrimitiveSchema.Of(PrimitiveKind.Double)), new Field("y", PrimitiveSchema.Of(PrimitiveKind.Double)), new Field("z", PrimitiveSchema.Of(PrimitiveKind.Double))])
    {
        Id = new Dtmi("dtmi:iotcentral:schema:vector;2"),
    };

    private static readonly Dictionary<(Kind, int), string[]> Properties = Enum.GetValues<Kind>()
        .SelectMany(k => new[] { 2, 3, 4 }.Select(v => (k, v)))
        .ToDictionary(kv => kv, kv => PropertiesOfUncached(kv.k, kv.v));

    /// <summary>The properties each class defines (beyond @id, @type, comment, description, displayName), per DTDL version.</summary>
    public static string[] PropertiesOf(Kind kind, int version) => Properties[(kind, version)];

    private static string[] PropertiesOfUncached(Kind kind, int version) => kind switch
    {
        Kind.Interface => ["@context", "contents", "extends", "schemas"],
        Kind.Property => ["name", "schema", "writable"],
        Kind.Telemetry => ["name", "schema"],
        Kind.Command => ["name", "request", "response", "commandType"],
        Kind.CommandPayload => ["name", "schema"],
        Kind.CommandRequest or Kind.CommandResponse => version >= 4 ? ["name", "schema", "nullable"] : ["name", "schema"],
        Kind.Relationship => ["name", "target", "minMultiplicity", "maxMultiplicity", "properties", "writable"],
        Kind.Component => ["name", "schema"],
        Kind.Array => ["elementSchema"],
        Kind.Enum => ["valueSchema", "enumValues"],
        Kind.EnumValue => ["name", "enumValue"],
        Kind.Map => ["mapKey", "mapValue"],
        Kind.MapKey or Kind.MapValue or Kind.Field => ["name", "schema"],
        Kind.Object => ["fields"],
        _ => [],
    };

    public static string[] RequiredOf(Kind kind, int version) => kind switch
    {
        Kind.Interface => ["@id"],
        Kind.Property or Kind.Telemetry or Kind.CommandPayload or Kind.CommandRequest or Kind.CommandResponse or Kind.Component or Kind.MapKey or Kind.MapValue or Kind.Field => ["name", "schema"],
        Kind.Command or Kind.Relationship => ["name"],
        Kind.Array => ["elementSchema"],
        Kind.Enum => version == 2 ? ["valueSchema", "enumValues"] : ["valueSchema"],
        Kind.EnumValue => ["name", "enumValue"],
        Kind.Map => ["mapKey", "mapValue"],
        Kind.Object => version == 2 ? ["fields"] : [],
        _ => [],
    };

    /// <summary>Where a semantic type (v2 native, v3/v4 QuantitativeTypes) may co-type.</summary>
    public static bool SemanticAllowedOn(Kind kind, int version) => version == 2
        ? kind is Kind.Property or Kind.Telemetry
        : kind is Kind.Property or Kind.Telemetry or Kind.Field or Kind.MapValue or Kind.CommandRequest or Kind.CommandResponse;
}
