using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Doppel.Modeling;

namespace Doppel.Twins.Internal;

/// <summary>Checks JSON values against DTDL schemas; returns null when valid, else a message naming the path and the reason.</summary>
internal static class SchemaValidator
{
    public static string? Validate(JsonElement value, Schema schema, string path, TwinLimits limits) => schema switch
    {
        PrimitiveSchema p => ValidatePrimitive(value, p.Kind, path, limits),
        EnumSchema e => ValidateEnum(value, e, path),
        MapSchema m => ValidateMap(value, m, path, limits),
        ObjectSchema o => ValidateObject(value, o, path, limits),
        ArraySchema a => ValidateArray(value, a, path, limits),
        _ => $"Property '{path}' has a schema Doppel cannot validate ({schema.GetType().Name}).",
    };

    public static string? CheckName(string name, string path, TwinLimits limits) =>
        name.Length == 0 ? $"Property '{path}' has an empty name."
        : name.Length * 3 > limits.MaxPropertyNameBytes && Encoding.UTF8.GetByteCount(name) > limits.MaxPropertyNameBytes
            ? $"Property name '{Truncate(path)}' exceeds {limits.MaxPropertyNameBytes} bytes."
            : null;

    private static string Truncate(string s) => s.Length > 64 ? s[..64] + "..." : s;

    private static string Expects(string path, string expected, JsonElement value) =>
        $"Property '{path}' expects {expected}, got {Describe(value)}.";

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => $"{JsonText.KindName(value.ValueKind)} {value.GetRawText()}",
        JsonValueKind.String when value.GetString() is { Length: <= 40 } s => $"string \"{s}\"",
        _ => JsonText.KindName(value.ValueKind),
    };

    private static string? ValidatePrimitive(JsonElement value, PrimitiveKind kind, string path, TwinLimits limits)
    {
        var term = PrimitiveSchema.Of(kind).Term;
        switch (kind)
        {
            case PrimitiveKind.Boolean:
                return value.ValueKind is JsonValueKind.True or JsonValueKind.False ? null : Expects(path, term, value);
            case PrimitiveKind.Integer:
                return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out _) ? null : Expects(path, "integer (32-bit)", value);
            case PrimitiveKind.Long:
                return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _) ? null : Expects(path, "long (64-bit integer)", value);
            case PrimitiveKind.Short:
                return value.ValueKind == JsonValueKind.Number && value.TryGetInt16(out _) ? null : Expects(path, "short (16-bit integer)", value);
            case PrimitiveKind.Byte:
                return value.ValueKind == JsonValueKind.Number && value.TryGetSByte(out _) ? null : Expects(path, "byte (signed 8-bit integer)", value);
            case PrimitiveKind.UnsignedByte:
                return value.ValueKind == JsonValueKind.Number && value.TryGetByte(out _) ? null : Expects(path, "unsignedByte", value);
            case PrimitiveKind.UnsignedShort:
                return value.ValueKind == JsonValueKind.Number && value.TryGetUInt16(out _) ? null : Expects(path, "unsignedShort", value);
            case PrimitiveKind.UnsignedInteger:
                return value.ValueKind == JsonValueKind.Number && value.TryGetUInt32(out _) ? null : Expects(path, "unsignedInteger", value);
            case PrimitiveKind.UnsignedLong:
                return value.ValueKind == JsonValueKind.Number && value.TryGetUInt64(out _) ? null : Expects(path, "unsignedLong", value);
            case PrimitiveKind.Double:
                return value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var d) && double.IsFinite(d) ? null : Expects(path, term, value);
            case PrimitiveKind.Float:
                return value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var f) && Math.Abs(f) <= float.MaxValue ? null : Expects(path, term, value);
            case PrimitiveKind.Decimal:
                return value.ValueKind == JsonValueKind.Number && (value.TryGetDecimal(out _) || value.TryGetDouble(out _)) ? null : Expects(path, term, value);
            case PrimitiveKind.String:
                if (value.ValueKind != JsonValueKind.String)
                {
                    return Expects(path, term, value);
                }

                var s = value.GetString()!;
                return s.Length * 3 > limits.MaxStringBytes && Encoding.UTF8.GetByteCount(s) > limits.MaxStringBytes
                    ? $"Property '{path}' is a string of {Encoding.UTF8.GetByteCount(s)} bytes; the limit is {limits.MaxStringBytes}."
                    : null;
            case PrimitiveKind.Date:
                return value.ValueKind == JsonValueKind.String && JsonText.IsDate(value.GetString()!) ? null : Expects(path, "date (yyyy-MM-dd)", value);
            case PrimitiveKind.DateTime:
                return value.ValueKind == JsonValueKind.String && JsonText.TryParseDateTime(value.GetString()!, out _) ? null : Expects(path, "dateTime (RFC 3339)", value);
            case PrimitiveKind.Time:
                return value.ValueKind == JsonValueKind.String && JsonText.IsTime(value.GetString()!) ? null : Expects(path, "time (HH:mm:ss)", value);
            case PrimitiveKind.Duration:
                return value.ValueKind == JsonValueKind.String && JsonText.IsDuration(value.GetString()!) ? null : Expects(path, "duration (ISO 8601)", value);
            case PrimitiveKind.Uuid:
                return value.ValueKind == JsonValueKind.String && Guid.TryParseExact(value.GetString(), "D", out _) ? null : Expects(path, "uuid", value);
            case PrimitiveKind.Bytes:
                return value.ValueKind == JsonValueKind.String && Base64.IsValid(value.GetString()!) ? null : Expects(path, "bytes (base64)", value);
            default:
                return ValidateGeo(value, kind, term, path);
        }
    }

    private static string? ValidateGeo(JsonElement value, PrimitiveKind kind, string term, string path)
    {
        var typeName = char.ToUpperInvariant(term[0]) + term[1..];
        if (value.ValueKind != JsonValueKind.Object)
        {
            return Expects(path, $"a GeoJSON {typeName} object", value);
        }

        if (!value.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != typeName)
        {
            return $"Property '{path}' expects a GeoJSON object with \"type\": \"{typeName}\".";
        }

        if (!value.TryGetProperty("coordinates", out var coordinates))
        {
            return $"Property '{path}' is a GeoJSON {typeName} without \"coordinates\".";
        }

        foreach (var member in value.EnumerateObject())
        {
            if (member.Name is not ("type" or "coordinates" or "bbox"))
            {
                return $"Property '{path}' is a GeoJSON {typeName} with an unexpected member '{member.Name}'.";
            }
        }

        var ok = kind switch
        {
            PrimitiveKind.Point => IsPosition(coordinates),
            PrimitiveKind.LineString => IsLineString(coordinates),
            PrimitiveKind.Polygon => IsPolygon(coordinates),
            PrimitiveKind.MultiPoint => IsArrayOf(coordinates, IsPosition, 0),
            PrimitiveKind.MultiLineString => IsArrayOf(coordinates, IsLineString, 0),
            PrimitiveKind.MultiPolygon => IsArrayOf(coordinates, IsPolygon, 0),
            _ => false,
        };
        return ok ? null : $"Property '{path}' has coordinates that are not a valid GeoJSON {typeName}.";
    }

    private static bool IsPosition(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() is < 2 or > 3)
        {
            return false;
        }

        foreach (var n in e.EnumerateArray())
        {
            if (n.ValueKind != JsonValueKind.Number)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsLineString(JsonElement e) => IsArrayOf(e, IsPosition, 2);

    private static bool IsLinearRing(JsonElement e)
    {
        if (!IsArrayOf(e, IsPosition, 4))
        {
            return false;
        }

        var first = e[0];
        var last = e[e.GetArrayLength() - 1];
        for (var i = 0; i < first.GetArrayLength(); i++)
        {
            if (i >= last.GetArrayLength() || first[i].GetDouble() != last[i].GetDouble())
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsPolygon(JsonElement e) => IsArrayOf(e, IsLinearRing, 1);

    private static bool IsArrayOf(JsonElement e, Func<JsonElement, bool> item, int min)
    {
        if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() < min)
        {
            return false;
        }

        foreach (var x in e.EnumerateArray())
        {
            if (!item(x))
            {
                return false;
            }
        }

        return true;
    }

    private static string? ValidateEnum(JsonElement value, EnumSchema schema, string path)
    {
        var isString = schema.ValueSchema.Kind == PrimitiveKind.String;
        if (isString ? value.ValueKind != JsonValueKind.String : value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out _))
        {
            return Expects(path, $"an enum value of {schema.ValueSchema.Term}", value);
        }

        foreach (var candidate in schema.EnumValues)
        {
            if (isString
                ? string.Equals(value.GetString(), Convert.ToString(candidate.Value, CultureInfo.InvariantCulture), StringComparison.Ordinal)
                : value.GetInt64() == EnumNumber(candidate.Value))
            {
                return null;
            }
        }

        var allowed = new StringBuilder();
        foreach (var candidate in schema.EnumValues)
        {
            allowed.Append(allowed.Length == 0 ? "" : ", ").Append(Convert.ToString(candidate.Value, CultureInfo.InvariantCulture));
        }

        return $"Property '{path}' has {Describe(value)}, which is not one of the enum values ({allowed}).";
    }

    private static long? EnumNumber(object value) => value switch
    {
        JsonElement { ValueKind: JsonValueKind.Number } e when e.TryGetInt64(out var l) => l,
        IConvertible c => c.ToInt64(CultureInfo.InvariantCulture),
        _ => null,
    };

    private static string? ValidateMap(JsonElement value, MapSchema schema, string path, TwinLimits limits)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            return Expects(path, "a map (object)", value);
        }

        foreach (var entry in value.EnumerateObject())
        {
            var entryPath = $"{path}['{entry.Name}']";
            if (CheckName(entry.Name, entryPath, limits) is { } nameError)
            {
                return nameError;
            }

            if (entry.Value.ValueKind == JsonValueKind.Null)
            {
                return $"Property '{entryPath}' is null; map values cannot be null (remove the key instead).";
            }

            if (Validate(entry.Value, schema.ValueSchema, entryPath, limits) is { } error)
            {
                return error;
            }
        }

        return null;
    }

    private static string? ValidateObject(JsonElement value, ObjectSchema schema, string path, TwinLimits limits)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            return Expects(path, "an object", value);
        }

        foreach (var member in value.EnumerateObject())
        {
            Field? field = null;
            foreach (var f in schema.Fields)
            {
                if (f.Name == member.Name)
                {
                    field = f;
                    break;
                }
            }

            var fieldPath = $"{path}.{member.Name}";
            if (field is null)
            {
                return $"Property '{fieldPath}' is not a field of the object schema of '{path}'.";
            }

            if (member.Value.ValueKind != JsonValueKind.Null && Validate(member.Value, field.Schema, fieldPath, limits) is { } error)
            {
                return error;
            }
        }

        return null;
    }

    private static string? ValidateArray(JsonElement value, ArraySchema schema, string path, TwinLimits limits)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            return Expects(path, "an array", value);
        }

        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            var itemPath = $"{path}[{i++}]";
            if (item.ValueKind == JsonValueKind.Null)
            {
                return $"Property '{itemPath}' is null; array elements cannot be null.";
            }

            if (Validate(item, schema.ElementSchema, itemPath, limits) is { } error)
            {
                return error;
            }
        }

        return null;
    }
}
