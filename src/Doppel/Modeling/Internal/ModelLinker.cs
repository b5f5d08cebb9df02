namespace Doppel.Modeling.Internal;

/// <summary>
/// Resolves a set of drafts into <see cref="InterfaceModel"/>s: <c>extends</c> (transitively, bases first), inherited
/// contents and their collisions, limits over the hierarchy, and references to components and relationship targets.
/// </summary>
internal sealed class ModelLinker(ModelParserOptions options, ErrorSink sink, IModelResolver? existing)
{
    private const int MaxHierarchyV3 = 1024;
    private const int MaxContentsV2 = 300;
    private const int MaxElementsV3 = 100_000;

    private readonly Dictionary<Dtmi, InterfaceDraft> _drafts = [];
    private readonly Dictionary<Dtmi, InterfaceModel> _built = [];
    private readonly Dictionary<Dtmi, (int Depth, int Elements)> _measures = [];
    private readonly HashSet<Dtmi> _visiting = [];
    private readonly HashSet<Dtmi> _failed = [];
    private readonly List<Dtmi> _stack = [];

    /// <summary>Interfaces named by extends or a Component's schema that are neither in the set nor among the existing models.</summary>
    public List<Dtmi> Missing { get; } = [];

    public List<InterfaceModel> Link(List<InterfaceDraft> drafts)
    {
        var unique = new List<InterfaceDraft>(drafts.Count);
        foreach (var d in drafts)
        {
            if (_drafts.TryGetValue(d.Id, out var first))
            {
                sink.Error(d.Document, d.Path + ".@id", "duplicate-id", $"'{d.Id}' is already defined in {first.Document} at {first.Path}");
                continue;
            }

            _drafts[d.Id] = d;
            unique.Add(d);
        }

        foreach (var d in unique)
        {
            Build(d);
        }

        var result = new List<InterfaceModel>(unique.Count);
        foreach (var d in unique)
        {
            if (_built.TryGetValue(d.Id, out var model))
            {
                CheckReferences(d, model);
                result.Add(model);
            }
        }

        return result;
    }

    private InterfaceModel? Resolve(Dtmi id) => _built.TryGetValue(id, out var m) ? m : _drafts.ContainsKey(id) ? null : existing?.Resolve(id);

    private InterfaceModel? Build(InterfaceDraft d)
    {
        if (_built.TryGetValue(d.Id, out var done))
        {
            return done;
        }

        if (_failed.Contains(d.Id))
        {
            return null;
        }

        _visiting.Add(d.Id);
        _stack.Add(d.Id);
        var bases = new List<InterfaceModel>();
        var ancestors = new HashSet<Dtmi>();
        var depth = 0;
        var elements = d.ElementCount;
        var broken = false;
        foreach (var (id, path) in d.Extends)
        {
            InterfaceModel? b;
            if (_drafts.TryGetValue(id, out var bd))
            {
                if (_visiting.Contains(id))
                {
                    var chain = _stack.Skip(_stack.IndexOf(id)).Append(id);
                    sink.Error(d.Document, path, "extends-cycle", $"extends forms a cycle: {string.Join(" -> ", chain)}");
                    broken = true;
                    continue;
                }

                b = Build(bd);
                if (b is null)
                {
                    broken = true;
                    continue;
                }
            }
            else
            {
                b = existing?.Resolve(id);
                if (b is null)
                {
                    Missing.Add(id);
                    sink.ErrorOrWarning(options.AllowUndefinedReferences, d.Document, path, "undefined-reference",
                        $"extends '{id}', which is neither in this set nor among the existing models");
                    ancestors.Add(id);
                    continue;
                }
            }

            if (b.DtdlVersion > d.Context.Version)
            {
                // extends takes Interfaces of the same or an earlier DTDL version only.
                sink.Error(d.Document, path, "extends-version", $"a DTDL v{d.Context.Version} Interface cannot extend '{b.Id}', a DTDL v{b.DtdlVersion} Interface");
            }

            bases.Add(b);
            ancestors.Add(b.Id);
            ancestors.UnionWith(b.Ancestors);
            var (bDepth, bElements) = Measure(b);
            depth = Math.Max(depth, bDepth + 1);
            elements += bElements;
        }

        _stack.RemoveAt(_stack.Count - 1);
        _visiting.Remove(d.Id);
        if (broken)
        {
            _failed.Add(d.Id);
            return null;
        }

        if (depth > d.Context.MaxExtendsDepth)
        {
            sink.Error(d.Document, d.Path + ".extends", "extends-depth", $"extends is {depth} levels deep; DTDL v{d.Context.Version} allows at most {d.Context.MaxExtendsDepth}");
        }

        // "In the union of all paths of extends members rooted at a given Interface, the total count of all values among
        // all such members MUST NOT exceed 1024": each Interface's extends member counted once, with all its values.
        var extendsValues = d.ExtendsValues + ancestors.Sum(a => _drafts.TryGetValue(a, out var ad) ? ad.ExtendsValues : Resolve(a)?.Extends.Count ?? 0);
        if (d.Context.Version >= 3 && extendsValues > MaxHierarchyV3)
        {
            sink.Error(d.Document, d.Path + ".extends", "extends-count", $"{extendsValues} values in the extends members of the hierarchy; DTDL v{d.Context.Version} allows at most {MaxHierarchyV3}");
        }

        var contents = MergeContents(d, bases);
        if (d.Context.Version == 2 && contents.Count > MaxContentsV2)
        {
            sink.Error(d.Document, d.Path + ".contents", "contents-count", $"{contents.Count} contents including inherited ones; DTDL v2 allows at most {MaxContentsV2}");
        }

        if (d.Context.Version >= 3 && elements > MaxElementsV3)
        {
            sink.Error(d.Document, d.Path + ".contents", "contents-count", $"{elements} elements in the contents hierarchy; DTDL v{d.Context.Version} allows at most {MaxElementsV3}");
        }

        var model = new InterfaceModel
        {
            Id = d.Id,
            DtdlVersion = d.Context.Version,
            Extends = d.Extends.Select(e => e.Id).ToList(),
            Ancestors = ancestors,
            DisplayName = d.DisplayName,
            Description = d.Description,
            Comment = d.Comment,
            Extensions = d.Context.Extensions,
            Contents = contents,
            Schemas = d.Schemas,
            Document = d.Element,
            CoTypes = d.CoTypes,
            ExtensionProperties = d.ExtensionProperties,
        };
        _built[d.Id] = model;
        _measures[d.Id] = (depth, elements);
        return model;
    }

    /// <summary>Depth and element count of an already loaded base; existing models are measured once, on demand.</summary>
    private (int Depth, int Elements) Measure(InterfaceModel m)
    {
        if (_measures.TryGetValue(m.Id, out var v))
        {
            return v;
        }

        var depth = 0;
        foreach (var b in m.Extends)
        {
            if (Resolve(b) is { } bm)
            {
                depth = Math.Max(depth, Measure(bm).Depth + 1);
            }
        }

        v = (depth, m.Contents.Count);
        _measures[m.Id] = v;
        return v;
    }

    private Dictionary<string, Content> MergeContents(InterfaceDraft d, List<InterfaceModel> bases)
    {
        var contents = new Dictionary<string, Content>(StringComparer.Ordinal);
        foreach (var b in bases)
        {
            foreach (var (name, c) in b.Contents)
            {
                if (!contents.TryGetValue(name, out var prev))
                {
                    contents[name] = c;
                }
                else if (prev.DefinedIn != c.DefinedIn)
                {
                    // The same content reached twice through a diamond is fine; two different declarations are not.
                    sink.Error(d.Document, d.Path + ".extends", "extends-name-collision",
                        $"'{name}' is inherited both from {prev.DefinedIn} and from {c.DefinedIn}; names must be unique among an Interface's contents");
                }
            }
        }

        foreach (var (c, path) in d.Contents)
        {
            if (contents.TryGetValue(c.Name, out var prev))
            {
                sink.Error(d.Document, path + ".name", "extends-name-collision",
                    $"'{c.Name}' declared in {d.Id} collides with '{c.Name}' inherited from {prev.DefinedIn}");
                continue;
            }

            contents[c.Name] = c;
        }

        return contents;
    }

    private void CheckReferences(InterfaceDraft d, InterfaceModel model)
    {
        foreach (var (c, path) in d.Contents)
        {
            switch (c)
            {
                case ComponentDef comp:
                    if (Resolve(comp.Schema) is { } schema)
                    {
                        var version = d.ComponentVersions.GetValueOrDefault(comp, d.Context.Version);
                        if (schema.DtdlVersion > version)
                        {
                            sink.Error(d.Document, path + ".schema", "component-version", $"a DTDL v{version} Component's schema must be an Interface of that or an earlier version; '{schema.Id}' is DTDL v{schema.DtdlVersion}");
                        }

                        if (schema.Components.FirstOrDefault() is { } nested)
                        {
                            sink.Error(d.Document, path + ".schema", "nested-component",
                                $"Component schema {schema.Id} contains Component '{nested.Name}'; in DTDL a Component cannot contain another Component");
                        }
                    }
                    else if (!_drafts.ContainsKey(comp.Schema))
                    {
                        Missing.Add(comp.Schema);
                        sink.ErrorOrWarning(options.AllowUndefinedReferences, d.Document, path + ".schema", "undefined-reference",
                            $"Component schema '{comp.Schema}' is neither in this set nor among the existing models");
                    }

                    break;
                case RelationshipDef { Target: { } target }:
                    if (!_drafts.ContainsKey(target) && existing?.Resolve(target) is null)
                    {
                        // A target is a non-dependent reference (DTDL "Model completeness"): it need not be defined for
                        // the model to be complete and valid, so it is only worth a warning.
                        sink.Warning(d.Document, path + ".target", "undefined-reference",
                            $"Relationship target '{target}' is neither in this set nor among the existing models");
                    }

                    break;
            }

            if (c.Extensions.TryGetValue("annotates", out var annotates) && annotates is string name)
            {
                if (!model.Contents.TryGetValue(name, out var annotated) || annotated is not (PropertyDef or TelemetryDef) || annotated == c
                    || annotated.SemanticTypes.Contains("ValueAnnotation"))
                {
                    sink.Error(d.Document, path + ".annotates", "annotation-target", $"'{name}' is not another Property or Telemetry of {d.Id} (and not itself a ValueAnnotation)");
                }
                else if (c.Extensions.TryGetValue("overrides", out var overrides) && overrides is string term
                    && !(term == "unit" ? annotated.Unit is not null : annotated.Extensions.ContainsKey(term)))
                {
                    sink.Error(d.Document, path + ".overrides", "override-target", $"'{term}' is not an extension property set on '{name}'");
                }
            }
        }
    }
}
