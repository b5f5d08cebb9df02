using System.Text.Json;

namespace Doppel.Modeling.Internal;

internal sealed partial class DocumentReader
{
    /// <summary>Reads the <c>schema</c> of a Property, Telemetry, payload, Field or MapValue and checks use-site rules.</summary>
    private Schema? ReadSchemaUse(ElementInfo info, string path, DocContext ctx, InterfaceDraft? draft, bool noArray)
    {
        var p = path + ".schema";
        var schema = ReadSchemaValue(info.Props["schema"], p, ctx, draft);
        if (schema is null)
        {
            return null;
        }

        if (info.Kind is Kind.Property or Kind.Telemetry or Kind.CommandPayload or Kind.CommandRequest or Kind.CommandResponse
            && Depth(schema) > MaxComplexDepth)
        {
            sink.Error(_doc, p, "schema-depth", $"complex schemas nest {Depth(schema)} levels deep; DTDL v{ctx.Version} allows at most {MaxComplexDepth}");
        }

        if (noArray && ContainsArray(schema, out var what))
        {
            sink.Error(_doc, p, "property-array", $"DTDL v2 does not allow {what} in a Property's schema (allowed from DTDL v3)");
        }

        if (info.Semantic is not null && !DtdlTerms.IsNumeric(schema))
        {
            sink.Error(_doc, p, "semantic-schema", $"an element with semantic type {info.Semantic} needs a numeric schema (double, float, integer or long); found {Name(schema)}");
        }

        if (ctx.Has(Feature.IotCentral))
        {
            CheckIotCentral(info, schema, p);
        }

        return schema;
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
        if (v.ValueKind == JsonValueKind.Object)
        {
            return ReadSchema(v, path, ctx, draft);
        }

        if (v.ValueKind != JsonValueKind.String)
        {
            sink.Error(_doc, path, "type-mismatch", $"expected a schema (primitive name, DTMI or complex schema object), found {Describe(v)}");
            return null;
        }

        var s = v.GetString()!;
        const string instancePrefix = "dtmi:dtdl:instance:Schema:";
        if (s.StartsWith(instancePrefix, StringComparison.Ordinal) && s.IndexOf(';', StringComparison.Ordinal) is var semi and > 0)
        {
            s = s[instancePrefix.Length..semi];
        }

        if (DtdlTerms.Primitives.TryGetValue(s, out var kind))
        {
            return PrimitiveSchema.Of(kind);
        }

        if (ctx.Has(Feature.IotCentral) && s is "geopoint" or "vector")
        {
            return s == "geopoint" ? DtdlTerms.GeoPoint : DtdlTerms.Vector;
        }

        if (DtdlTerms.V4OnlyPrimitives.Contains(s))
        {
            sink.Error(_doc, path, "unsupported-schema", $"'{s}' is not a DTDL v{ctx.Version} schema (it is defined only by the DTDL v4 context)");
            return null;
        }

        if (s.StartsWith("dtmi:", StringComparison.Ordinal))
        {
            return ResolveNamedSchema(s, path, ctx);
        }

        sink.Error(_doc, path, "unknown-schema", $"'{Shorten(s)}' is not a DTDL v{ctx.Version} primitive schema or a schema DTMI; expected one of {string.Join(", ", DtdlTerms.Primitives.Keys)} or a DTMI");
        return null;
    }

    private Schema? ResolveNamedSchema(string id, string path, DocContext ctx)
    {
        if (_builtSchemas.TryGetValue(id, out var built))
        {
            return built;
        }

        if (!_schemaDefs.TryGetValue(id, out var def))
        {
            if (DtmiSyntax.Check(id, ctx.Version) is { } problem)
            {
                sink.Error(_doc, path, "dtmi-syntax", problem);
            }
            else
            {
                sink.Error(_doc, path, "undefined-reference", $"schema '{id}' is not a primitive schema and no interface-level schema in the set has this @id");
            }

            return null;
        }

        if (!_building.Add(id))
        {
            sink.Error(_doc, path, "schema-cycle", $"schema '{id}' refers to itself; complex schemas are recursive but not self-referential");
            return null;
        }

        // Named schemas are read once, in their own document's terms, and shared by every use.
        var doc = _doc;
        _doc = def.Document;
        var schema = ReadSchema(def.Element, def.Path, def.Context, null);
        _doc = doc;
        _building.Remove(id);
        _builtSchemas[id] = schema;
        return schema;
    }

    private Schema? ReadSchema(JsonElement e, string path, DocContext ctx, InterfaceDraft? draft)
    {
        if (e.TryGetProperty("@id", out var idEl) && idEl.ValueKind == JsonValueKind.String && _schemaDefs.TryGetValue(idEl.GetString()!, out var def)
            && def.Path == path && def.Document == _doc && !_building.Contains(idEl.GetString()!))
        {
            // An interface-level schema: build it through the shared cache so references and the definition agree.
            if (_builtSchemas.TryGetValue(idEl.GetString()!, out var cached))
            {
                return cached;
            }

            return ResolveNamedSchema(idEl.GetString()!, path, ctx);
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

        Schema? schema = info.Kind switch
        {
            Kind.Array => ReadSchemaValue(info.Props["elementSchema"], path + ".elementSchema", ctx, draft) is { } el ? new ArraySchema(el) { Id = info.Id, DisplayName = info.DisplayName, Description = info.Description } : null,
            Kind.Enum => ReadEnum(info, path, ctx, draft),
            Kind.Map => ReadMap(info, path, ctx, draft),
            Kind.Object => ReadObject(info, path, ctx, draft),
            _ => null,
        };
        return schema;
    }

    private EnumSchema? ReadEnum(ElementInfo info, string path, DocContext ctx, InterfaceDraft? draft)
    {
        var vs = info.Props["valueSchema"];
        var isInt = vs.ValueKind == JsonValueKind.String && vs.GetString() is "integer" or "dtmi:dtdl:instance:Schema:integer;2" or "dtmi:dtdl:instance:Schema:integer;3";
        var isString = vs.ValueKind == JsonValueKind.String && vs.GetString() is "string" or "dtmi:dtdl:instance:Schema:string;2" or "dtmi:dtdl:instance:Schema:string;3";
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
            ForEachObject(arr, path + ".enumValues", (ve, vp) =>
            {
                if (draft is not null)
                {
                    draft.ElementCount++;
                }

                var vi = ReadElement(ve, vp, [Kind.EnumValue], false, ctx, draft);
                if (vi?.Name is null)
                {
                    return;
                }

                var raw = vi.Props["enumValue"];
                object? value = isInt
                    ? raw.ValueKind == JsonValueKind.Number && raw.TryGetInt32(out var n) ? n : null
                    : raw.ValueKind == JsonValueKind.String ? raw.GetString() : null;
                if (value is null)
                {
                    sink.Error(_doc, vp + ".enumValue", "type-mismatch", $"expected {(isInt ? "an integer" : "a string")} (the Enum's valueSchema), found {Describe(raw)}");
                    return;
                }

                if (!names.Add(vi.Name))
                {
                    sink.Error(_doc, vp + ".name", "duplicate-name", $"'{vi.Name}' is already the name of a value of this Enum");
                }

                if (!seen.Add(value.ToString()!))
                {
                    sink.Error(_doc, vp + ".enumValue", "duplicate-enum-value", $"value {value} is already used by another value of this Enum");
                }

                values.Add(new EnumValue(vi.Name, value) { DisplayName = vi.DisplayName });
            });

            var count = arr.ValueKind == JsonValueKind.Array ? arr.GetArrayLength() : 0;
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
        if (draft is not null)
        {
            draft.ElementCount += 2;
        }

        var ki = ReadElement(info.Props["mapKey"], kp, [Kind.MapKey], false, ctx, draft);
        var vi = ReadElement(info.Props["mapValue"], vp, [Kind.MapValue], false, ctx, draft);
        if (ki?.Name is null || vi?.Name is null)
        {
            return null;
        }

        var keySchema = ReadSchemaValue(ki.Props["schema"], kp + ".schema", ctx, draft);
        if (keySchema is not null && keySchema is not PrimitiveSchema { Kind: PrimitiveKind.String })
        {
            sink.Error(_doc, kp + ".schema", "map-key-schema", $"a MapKey's schema must be string; found {Name(keySchema)}");
            return null;
        }

        var valueSchema = ReadSchemaUse(vi, vp, ctx, draft, false);
        return keySchema is null || valueSchema is null
            ? null
            : new MapSchema(ki.Name, keySchema, vi.Name, valueSchema) { Id = info.Id, DisplayName = info.DisplayName, Description = info.Description };
    }

    private ObjectSchema? ReadObject(ElementInfo info, string path, DocContext ctx, InterfaceDraft? draft)
    {
        var fields = new List<Field>();
        if (info.Props.TryGetValue("fields", out var arr))
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            ForEachObject(arr, path + ".fields", (fe, fp) =>
            {
                if (draft is not null)
                {
                    draft.ElementCount++;
                }

                var fi = ReadElement(fe, fp, [Kind.Field], false, ctx, draft);
                if (fi?.Name is null)
                {
                    return;
                }

                if (!names.Add(fi.Name))
                {
                    sink.Error(_doc, fp + ".name", "duplicate-name", $"'{fi.Name}' is already the name of a field of this Object");
                    return;
                }

                if (ReadSchemaUse(fi, fp, ctx, draft, false) is { } fs)
                {
                    fields.Add(new Field(fi.Name, fs) { DisplayName = fi.DisplayName, SemanticTypes = fi.CoTypes, Unit = fi.Unit });
                }
            });

            var count = arr.ValueKind == JsonValueKind.Array ? arr.GetArrayLength() : 0;
            if (ctx.Version == 2 && count is 0 or > 30)
            {
                sink.Error(_doc, path + ".fields", "object-field-count", $"DTDL v2 requires 1 to 30 fields in an Object; found {count}");
            }
        }

        return new ObjectSchema(fields) { Id = info.Id, DisplayName = info.DisplayName, Description = info.Description };
    }

    /// <summary>Levels of nested complex schemas: each Array, Map or Object is a level; an Enum, which nests nothing, is not.</summary>
    /// <remarks>Counting Enums would reject models in the public IoT Plug and Play repository (impinj r700), which the
    /// reference parser accepted, so the reference parser evidently does not count them either.</remarks>
    private int Depth(Schema s)
    {
        if (s is PrimitiveSchema)
        {
            return 0;
        }

        if (_depths.TryGetValue(s, out var d))
        {
            return d;
        }

        d = s is EnumSchema ? 0 : 1 + s switch
        {
            ArraySchema a => Depth(a.ElementSchema),
            MapSchema m => Depth(m.ValueSchema),
            ObjectSchema o => o.Fields.Count == 0 ? 0 : o.Fields.Max(f => Depth(f.Schema)),
            _ => 0,
        };
        _depths[s] = d;
        return d;
    }

    private static bool ContainsArray(Schema s, out string what)
    {
        switch (s)
        {
            case ArraySchema:
                what = "an Array";
                return true;
            case PrimitiveSchema p when DtdlTerms.IsGeospatial(p):
                what = $"the geospatial schema {p.Term} (an array of coordinates)";
                return true;
            case MapSchema m:
                return ContainsArray(m.ValueSchema, out what);
            case ObjectSchema o:
                foreach (var f in o.Fields)
                {
                    if (ContainsArray(f.Schema, out what))
                    {
                        return true;
                    }
                }

                break;
        }

        what = "";
        return false;
    }

    private static string Name(Schema s) => s switch
    {
        PrimitiveSchema p => p.Term,
        _ when s.Id is not null => $"{s.GetType().Name.Replace("Schema", "", StringComparison.Ordinal)} {s.Id}",
        _ => s.GetType().Name.Replace("Schema", "", StringComparison.Ordinal),
    };
}
