using System.Text.Json;

namespace Doppel.Modeling.Internal;

internal sealed partial class DocumentReader
{
    /// <summary>Reads the <c>schema</c> of a Property, Telemetry, payload, Field or MapValue and checks use-site rules.</summary>
    private Schema? ReadSchemaUse(ElementInfo info, string path, DocContext ctx, InterfaceDraft? draft)
    {
        var p = path + ".schema";
        if (One(info, "schema", path) is not { } value)
        {
            return null;
        }

        var schema = ReadSchemaValue(value, p, ctx, draft);
        if (schema is null)
        {
            return null;
        }

        if (info.Kind is Kind.Property or Kind.Telemetry or Kind.CommandPayload or Kind.CommandRequest or Kind.CommandResponse)
        {
            CheckSchemaDepth(schema, p, ctx);
        }

        if (ctx.Version == 2 && info.Kind == Kind.Property && ContainsArray(schema, out var what))
        {
            sink.Error(_doc, p, "property-array", $"DTDL v2 does not allow {what} in a Property's schema (allowed from DTDL v3)");
        }

        if (info.Semantic is not null && !DtdlTerms.IsNumeric(schema, ctx.Version))
        {
            sink.Error(_doc, p, "semantic-schema", $"an element with semantic type {info.Semantic} needs a numeric schema (double, float, integer or long{(ctx.Version >= 4 ? " or another numeric primitive" : "")}); found {Name(schema)}");
        }

        if (ctx.Has(Feature.IotCentral))
        {
            CheckIotCentral(info, schema, p);
        }

        return schema;
    }

    /// <summary>At most N (5 in v2/v3, 8 in v4, 24 with the Onvif limits) "schema"/"elementSchema" members on a path from a complex schema.</summary>
    private void CheckSchemaDepth(Schema schema, string path, DocContext ctx)
    {
        if (schema is PrimitiveSchema or EnumSchema)
        {
            return;
        }

        var depth = SchemaDepth(schema, new HashSet<Schema>(ReferenceEqualityComparer.Instance));
        if (depth > ctx.MaxSchemaDepth)
        {
            sink.Error(_doc, path, "schema-depth", $"complex schemas nest {depth} levels deep here; DTDL v{ctx.Version} allows at most {ctx.MaxSchemaDepth}");
        }
    }

    private void CheckIotCentral(ElementInfo info, Schema schema, string path)
    {
        // Constraints from DTDL.iotcentral.v2.md on the schemas of co-typed elements.
        foreach (var co in info.CoTypes)
        {
            var (ok, expected) = co switch
            {
                "State" => (schema is EnumSchema, "an Enum"),
                "Event" => (schema is PrimitiveSchema { Kind: PrimitiveKind.Double or PrimitiveKind.Float or PrimitiveKind.Integer or PrimitiveKind.Long or PrimitiveKind.String }, "double, float, integer, long or string"),
                "Location" => (DtdlTerms.IsGeospatial(schema) || ReferenceEquals(schema, DtdlTerms.GeoPoint), "a geospatial schema or geopoint"),
                "VelocityVector" or "AccelerationVector" => (ReferenceEquals(schema, DtdlTerms.Vector), "vector"),
                _ => (true, ""),
            };
            if (!ok)
            {
                sink.Error(_doc, path, "cotype-schema", $"an element co-typed {co} needs schema {expected}; found {Name(schema)}");
            }
        }
    }

    private Schema? ReadSchemaValue(JsonElement v, string path, DocContext ctx, InterfaceDraft? draft)
    {
        if (v.ValueKind == JsonValueKind.Array)
        {
            if (v.GetArrayLength() != 1)
            {
                sink.Error(_doc, path, "single-value", $"a schema is one value; found an array of {v.GetArrayLength()}");
                return null;
            }

            v = v[0];
        }

        if (v.ValueKind == JsonValueKind.Object)
        {
            if (HasType(v, "Interface", ctx))
            {
                sink.Error(_doc, path, "type-mismatch", "an Interface is not a schema here (only a Component's schema is an Interface)");
                return null;
            }

            return ReadSchema(v, path, ctx, draft);
        }

        if (v.ValueKind != JsonValueKind.String)
        {
            sink.Error(_doc, path, "type-mismatch", $"expected a schema (primitive name, DTMI or complex schema object), found {Describe(v)}");
            return null;
        }

        var raw = v.GetString()!;
        var s = ctx.Terms.TermOf(raw) ?? raw;
        if (DtdlTerms.Primitives.TryGetValue(s, out var kind) && ctx.Terms.TermToIri.ContainsKey(s))
        {
            return PrimitiveSchema.Of(kind);
        }

        if (ctx.Version >= 4)
        {
            if (DtdlTerms.V4Primitives.TryGetValue(s, out var v4))
            {
                return PrimitiveSchema.Of(v4);
            }

            if (s == "scaledDecimal")
            {
                return DtdlTerms.ScaledDecimal;
            }
        }

        if (ctx.Has(Feature.IotCentral) && s is "geopoint" or "vector")
        {
            return s == "geopoint" ? DtdlTerms.GeoPoint : DtdlTerms.Vector;
        }

        if (DtdlTerms.V4Primitives.ContainsKey(s) || s == "scaledDecimal")
        {
            sink.Error(_doc, path, "unsupported-schema", $"'{s}' is not a DTDL v{ctx.Version} schema (it is defined only by the DTDL v4 context)");
            return null;
        }

        if (ctx.Has(Feature.QuantitativeTypes) && ctx.Terms.TermToIri.TryGetValue(s, out var iri) && iri.Contains(":enum:", StringComparison.Ordinal)
            && UnitEnum(s) is { } units)
        {
            // QuantitativeTypes defines each unit type as an Enum of its units (e.g. an Override of a unit has schema TemperatureUnit).
            return units;
        }

        if (ctx.Terms.TermToIri.ContainsKey(s) || ctx.Terms.IsReserved(raw))
        {
            sink.Error(_doc, path, "unknown-schema", $"'{Shorten(raw)}' is a DTDL term but not a schema");
            return null;
        }

        if (raw.StartsWith("dtmi:", StringComparison.Ordinal))
        {
            return ResolveNamedSchema(raw, path, ctx);
        }

        sink.Error(_doc, path, "unknown-schema", $"'{Shorten(raw)}' is not a DTDL v{ctx.Version} primitive schema or a schema DTMI; expected one of {string.Join(", ", DtdlTerms.Primitives.Keys)} or a DTMI");
        return null;
    }

    private static readonly Dictionary<string, EnumSchema> UnitEnums = SemanticTables.QuantitativeTypesV1.Values
        .GroupBy(v => v.UnitType, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => new EnumSchema(PrimitiveSchema.Of(PrimitiveKind.String), g.SelectMany(v => v.Units).Distinct(StringComparer.Ordinal).Select(u => new EnumValue(u, u)).ToList()), StringComparer.Ordinal);

    private static EnumSchema? UnitEnum(string unitType) => UnitEnums.GetValueOrDefault(unitType);

    /// <summary>
    /// The term of a primitive schema written as a term or as the identifier of this or an earlier DTDL version: an Enum's
    /// valueSchema and a MapKey's schema list "dtmi:dtdl:instance:Schema:string;2" (and ;3, ;4) among their values.
    /// </summary>
    private static string? SchemaInstanceTerm(string s, DocContext ctx)
    {
        const string prefix = "dtmi:dtdl:instance:Schema:";
        if (s.StartsWith(prefix, StringComparison.Ordinal) && s.LastIndexOf(';') is var semi and > 0
            && int.TryParse(s.AsSpan(semi + 1), out var v) && v >= 2 && v <= ctx.Version)
        {
            return s[prefix.Length..semi];
        }

        return ctx.Terms.TermOf(s);
    }

    private Schema? ResolveNamedSchema(string id, string path, DocContext ctx)
    {
        if (ResolveElement(id, path, ctx, "schema") is not { } def)
        {
            return null;
        }

        if (def.IsInterface)
        {
            sink.Error(_doc, path, "type-mismatch", $"'{id}' is an Interface, not a schema (only a Component's schema is an Interface)");
            return null;
        }

        if (_builtSchemas.TryGetValue(id, out var built))
        {
            return built;
        }

        if (!_building.Add(id))
        {
            // DTDL v4: a complex schema may refer to itself through its elementSchema/schema members; v2/v3 forbid it.
            if (ctx.Version >= 4)
            {
                _cycleFixups.Add((new Dtmi(id), _doc, path));
                return new PendingSchema(new Dtmi(id));
            }

            sink.Error(_doc, path, "schema-cycle", $"schema '{id}' refers to itself; DTDL v{ctx.Version} complex schemas cannot be self-referential (allowed from DTDL v4)");
            return null;
        }

        // Named schemas are read once, in their own document's terms, and shared by every use.
        var (doc, partition) = (_doc, _partition);
        (_doc, _partition) = (def.Document, def.Partition);
        var schema = ReadSchema(def.Element, def.Path, def.Context, null, named: true);
        (_doc, _partition) = (doc, partition);
        _building.Remove(id);
        _builtSchemas[id] = schema;
        if (schema is not null && _cycleFixups.Count > 0 && _building.Count == 0)
        {
            ResolvePending(schema, new HashSet<Schema>(ReferenceEqualityComparer.Instance));
        }

        return schema;
    }

    /// <summary>Replaces the placeholders of self-references (DTDL v4) by the schemas they name, once those are built.</summary>
    private void ResolvePending(Schema s, HashSet<Schema> seen)
    {
        if (!seen.Add(s))
        {
            return;
        }

        Schema Fix(Schema child) => child is PendingSchema p && _builtSchemas.GetValueOrDefault(p.Target.Value) is { } target ? target : child;

        switch (s)
        {
            case ArraySchema a:
                a.ElementSchema = Fix(a.ElementSchema);
                ResolvePending(a.ElementSchema, seen);
                break;
            case MapSchema m:
                m.ValueSchema = Fix(m.ValueSchema);
                ResolvePending(m.ValueSchema, seen);
                break;
            case ObjectSchema o when o.Fields is List<Field> fields:
                for (var i = 0; i < fields.Count; i++)
                {
                    fields[i] = fields[i] with { Schema = Fix(fields[i].Schema) };
                    ResolvePending(fields[i].Schema, seen);
                }

                break;
        }
    }

    private Schema? ReadSchema(JsonElement e, string path, DocContext ctx, InterfaceDraft? draft, bool named = false)
    {
        if (!named && TryGetId(e, out var id) && _elements.TryGetValue(id, out var def) && def.Path == path && def.Document == _doc)
        {
            // An element with an @id: build it through the shared cache so that references and the definition agree.
            return ResolveNamedSchema(id, path, ctx);
        }

        if (draft is not null)
        {
            draft.ElementCount++;
        }

        var info = ReadElement(e, path, [Kind.Array, Kind.Enum, Kind.Map, Kind.Object], true, ctx, draft);
        if (info is null)
        {
            return null;
        }

        var ictx = info.Context;
        Schema? schema = info.Kind switch
        {
            Kind.Array => One(info, "elementSchema", path) is { } es && ReadSchemaValue(es, path + ".elementSchema", ictx, draft) is { } el
                ? new ArraySchema(el) { Id = info.Id, DisplayName = info.DisplayName, Description = info.Description }
                : null,
            Kind.Enum => ReadEnum(info, path, ictx, draft),
            Kind.Map => ReadMap(info, path, ictx, draft),
            Kind.Object => ReadObject(info, path, ictx, draft),
            _ => null,
        };
        return schema;
    }

    private EnumSchema? ReadEnum(ElementInfo info, string path, DocContext ctx, InterfaceDraft? draft)
    {
        if (One(info, "valueSchema", path) is not { } vs)
        {
            return null;
        }

        var term = vs.ValueKind == JsonValueKind.String ? SchemaInstanceTerm(vs.GetString()!, ctx) : null;
        var isInt = term == "integer";
        var isString = term == "string";
        if (!isInt && !isString)
        {
            sink.Error(_doc, path + ".valueSchema", "enum-value-schema", $"an Enum's valueSchema must be integer or string; found {Describe(vs)}");
            return null;
        }

        var values = new List<EnumValue>();
        if (info.Props.TryGetValue("enumValues", out var arr))
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var indexes = new HashSet<int>();
            var count = 0;
            ForEachElement(arr, path + ".enumValues", "enumValues", (ve, vp, vctx) =>
            {
                count++;
                var value = ReadReferenced(ve, vp, vctx, "enumValues", (el, ep, ectx) =>
                {
                    if (draft is not null)
                    {
                        draft.ElementCount++;
                    }

                    var vi = ReadElement(el, ep, [Kind.EnumValue], false, ectx, draft);
                    if (vi?.Name is null || One(vi, "enumValue", ep) is not { } raw)
                    {
                        return null;
                    }

                    CheckUniqueIndex(indexes, vi.Extensions, ep);
                    object? v = isInt ? ReadInteger(raw, ep + ".enumValue", vi.Context.Version) : ReadString(raw, ep + ".enumValue", vi.Context.Version);
                    return v is null ? null : new EnumValue(vi.Name, v) { DisplayName = vi.DisplayName };
                });
                if (value is null)
                {
                    return;
                }

                if (!names.Add(value.Name))
                {
                    sink.Error(_doc, vp + ".name", "duplicate-name", $"'{value.Name}' is already the name of a value of this Enum");
                }

                if (!seen.Add(value.Value.ToString()!))
                {
                    sink.Error(_doc, vp + ".enumValue", "duplicate-enum-value", $"value {value.Value} is already used by another value of this Enum");
                }

                values.Add(value);
            }, ctx);

            if (ctx.Version == 2 && count is 0 or > 100)
            {
                sink.Error(_doc, path + ".enumValues", "enum-count", $"DTDL v2 requires 1 to 100 enumValues; found {count}");
            }
        }

        return new EnumSchema(PrimitiveSchema.Of(isInt ? PrimitiveKind.Integer : PrimitiveKind.String), values)
        {
            Id = info.Id,
            DisplayName = info.DisplayName,
            Description = info.Description,
        };
    }

    private MapSchema? ReadMap(ElementInfo info, string path, DocContext ctx, InterfaceDraft? draft)
    {
        var kp = path + ".mapKey";
        var vp = path + ".mapValue";
        var mapKey = One(info, "mapKey", path);
        var mapValue = One(info, "mapValue", path);
        if (mapKey is not { } keyValue || mapValue is not { } valueValue)
        {
            return null;
        }

        var key = ReadReferenced(keyValue, kp, ctx, "mapKey", (el, ep, ectx) =>
        {
            if (draft is not null)
            {
                draft.ElementCount++;
            }

            var ki = ReadElement(el, ep, [Kind.MapKey], false, ectx, draft);
            if (ki?.Name is null || One(ki, "schema", ep) is not { } ks)
            {
                return null;
            }

            var keySchema = ks.ValueKind == JsonValueKind.String && SchemaInstanceTerm(ks.GetString()!, ki.Context) == "string"
                ? PrimitiveSchema.Of(PrimitiveKind.String)
                : ReadSchemaValue(ks, ep + ".schema", ki.Context, draft);
            if (keySchema is not null && keySchema is not PrimitiveSchema { Kind: PrimitiveKind.String })
            {
                sink.Error(_doc, ep + ".schema", "map-key-schema", $"a MapKey's schema must be string; found {Name(keySchema)}");
                return null;
            }

            return keySchema is null ? null : Tuple.Create(ki.Name, keySchema);
        });
        var value = ReadReferenced(valueValue, vp, ctx, "mapValue", (el, ep, ectx) =>
        {
            if (draft is not null)
            {
                draft.ElementCount++;
            }

            var vi = ReadElement(el, ep, [Kind.MapValue], false, ectx, draft);
            return vi?.Name is null || ReadSchemaUse(vi, ep, vi.Context, draft) is not { } vs ? null : Tuple.Create(vi.Name, vs);
        });
        return key is null || value is null
            ? null
            : new MapSchema(key.Item1, key.Item2, value.Item1, value.Item2) { Id = info.Id, DisplayName = info.DisplayName, Description = info.Description };
    }

    private ObjectSchema? ReadObject(ElementInfo info, string path, DocContext ctx, InterfaceDraft? draft)
    {
        var fields = new List<Field>();
        if (info.Props.TryGetValue("fields", out var arr))
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            var indexes = new HashSet<int>();
            var count = 0;
            ForEachElement(arr, path + ".fields", "fields", (fe, fp, fctx) =>
            {
                count++;
                var field = ReadReferenced(fe, fp, fctx, "fields", (el, ep, ectx) =>
                {
                    if (draft is not null)
                    {
                        draft.ElementCount++;
                    }

                    var fi = ReadElement(el, ep, [Kind.Field], false, ectx, draft);
                    if (fi is not null)
                    {
                        CheckUniqueIndex(indexes, fi.Extensions, ep);
                    }

                    return fi?.Name is null || ReadSchemaUse(fi, ep, fi.Context, draft) is not { } fs
                        ? null
                        : new Field(fi.Name, fs) { DisplayName = fi.DisplayName, SemanticTypes = fi.CoTypes, Unit = fi.Unit };
                });
                if (field is null)
                {
                    return;
                }

                if (!names.Add(field.Name))
                {
                    sink.Error(_doc, fp + ".name", "duplicate-name", $"'{field.Name}' is already the name of a field of this Object");
                    return;
                }

                fields.Add(field);
            }, ctx);

            if (ctx.Version == 2 && count is 0 or > 30)
            {
                sink.Error(_doc, path + ".fields", "object-field-count", $"DTDL v2 requires 1 to 30 fields in an Object; found {count}");
            }
        }

        return new ObjectSchema(fields) { Id = info.Id, DisplayName = info.DisplayName, Description = info.Description };
    }

    /// <summary>
    /// The most "schema"/"elementSchema" members on a path from <paramref name="s"/> to another element (DTDL "Limits and
    /// exclusions"): an Array's element schema, an Object's field schemas and a Map's value schema each count one, up to
    /// and including the member that reaches a primitive schema (an element of the metamodel) or an Enum; so n nested
    /// complex schemas around a primitive count n, matching the language description's "depth of nested complex schemas".
    /// A path ends where it would revisit a schema (DTDL v4 self-references).
    /// </summary>
    private static int SchemaDepth(Schema s, HashSet<Schema> onPath)
    {
        if (s is PrimitiveSchema or EnumSchema or PendingSchema || !onPath.Add(s))
        {
            return 0;
        }

        static int Step(Schema child, HashSet<Schema> onPath) => child is PrimitiveSchema or PendingSchema || onPath.Contains(child) ? 1 : 1 + SchemaDepth(child, onPath);

        var d = s switch
        {
            ArraySchema a => Step(a.ElementSchema, onPath),
            MapSchema m => Step(m.ValueSchema, onPath),
            ObjectSchema o => o.Fields.Count == 0 ? 0 : o.Fields.Max(f => Step(f.Schema, onPath)),
            _ => 0,
        };
        onPath.Remove(s);
        return d;
    }

    private static bool ContainsArray(Schema s, out string what) => ContainsArray(s, new HashSet<Schema>(ReferenceEqualityComparer.Instance), out what);

    private static bool ContainsArray(Schema s, HashSet<Schema> seen, out string what)
    {
        what = "";
        if (!seen.Add(s))
        {
            return false;
        }

        switch (s)
        {
            case ArraySchema:
                what = "an Array";
                return true;
            case PrimitiveSchema p when DtdlTerms.IsGeospatial(p):
                what = $"the geospatial schema {p.Term} (an array of coordinates)";
                return true;
            case MapSchema m:
                return ContainsArray(m.ValueSchema, seen, out what);
            case ObjectSchema o:
                foreach (var f in o.Fields)
                {
                    if (ContainsArray(f.Schema, seen, out what))
                    {
                        return true;
                    }
                }

                break;
        }

        return false;
    }

    private static string Name(Schema s) => s switch
    {
        PrimitiveSchema p => p.Term,
        _ when s.Id is not null => $"{s.GetType().Name.Replace("Schema", "", StringComparison.Ordinal)} {s.Id}",
        _ => s.GetType().Name.Replace("Schema", "", StringComparison.Ordinal),
    };
}

/// <summary>A DTDL v4 self-reference while its schema is being built; replaced by that schema before the parse returns.</summary>
internal sealed class PendingSchema(Dtmi target) : Schema
{
    public Dtmi Target { get; } = target;
}
