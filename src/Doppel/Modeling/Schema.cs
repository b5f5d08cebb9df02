namespace Doppel.Modeling;

/// <summary>A DTDL schema: a primitive, or a complex Array, Enum, Map or Object.</summary>
public abstract class Schema
{
    /// <summary>The schema's @id when it has one (declared or interface-level schemas), else null.</summary>
    public Dtmi? Id { get; init; }

    public LocalizedText DisplayName { get; init; } = LocalizedText.Empty;

    public LocalizedText Description { get; init; } = LocalizedText.Empty;
}

/// <summary>The primitive schemas of DTDL v2, v3 and v4.</summary>
public enum PrimitiveKind
{
    Boolean, Date, DateTime, Double, Duration, Float, Integer, Long, String, Time,
    // DTDL v4 additions
    Byte, Bytes, Decimal, Short, UnsignedByte, UnsignedInteger, UnsignedLong, UnsignedShort, Uuid,
    // geospatial (GeoJSON)
    Point, LineString, Polygon, MultiPoint, MultiLineString, MultiPolygon,
}

public sealed class PrimitiveSchema : Schema
{
    private PrimitiveSchema(PrimitiveKind kind) => Kind = kind;

    public PrimitiveKind Kind { get; }

    /// <summary>The DTDL term for the schema, e.g. "dateTime", "unsignedLong", "point".</summary>
    public string Term => char.ToLowerInvariant(Kind.ToString()[0]) + Kind.ToString()[1..];

    private static readonly Dictionary<PrimitiveKind, PrimitiveSchema> All =
        Enum.GetValues<PrimitiveKind>().ToDictionary(k => k, k => new PrimitiveSchema(k));

    public static PrimitiveSchema Of(PrimitiveKind kind) => All[kind];

    public override string ToString() => Term;
}

public sealed class ArraySchema(Schema elementSchema) : Schema
{
    /// <summary>The schema of each element; settable by the parser only, to close DTDL v4 self-references.</summary>
    public Schema ElementSchema { get; internal set; } = elementSchema;
}

public sealed class EnumSchema(PrimitiveSchema valueSchema, IReadOnlyList<EnumValue> values) : Schema
{
    /// <summary>integer or string.</summary>
    public PrimitiveSchema ValueSchema { get; } = valueSchema;

    public IReadOnlyList<EnumValue> EnumValues { get; } = values;
}

public sealed record EnumValue(string Name, object Value)
{
    public LocalizedText DisplayName { get; init; } = LocalizedText.Empty;
}

public sealed class MapSchema(string keyName, Schema keySchema, string valueName, Schema valueSchema) : Schema
{
    public string KeyName { get; } = keyName;

    /// <summary>Always string in DTDL.</summary>
    public Schema KeySchema { get; } = keySchema;

    public string ValueName { get; } = valueName;

    /// <summary>The schema of each value; settable by the parser only, to close DTDL v4 self-references.</summary>
    public Schema ValueSchema { get; internal set; } = valueSchema;
}

public sealed class ObjectSchema(IReadOnlyList<Field> fields) : Schema
{
    public IReadOnlyList<Field> Fields { get; } = fields;
}

public sealed record Field(string Name, Schema Schema)
{
    public LocalizedText DisplayName { get; init; } = LocalizedText.Empty;

    /// <summary>Co-types of the field, e.g. a QuantitativeTypes semantic type such as "Temperature".</summary>
    public IReadOnlyList<string> SemanticTypes { get; init; } = [];

    /// <summary>The unit of a semantically typed field, e.g. "degreeCelsius".</summary>
    public string? Unit { get; init; }
}
