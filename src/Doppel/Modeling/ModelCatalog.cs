using System.Collections.Frozen;
using System.Collections.Immutable;

namespace Doppel.Modeling;

/// <summary>
/// The loaded models. Thread-safe: every change builds a new immutable snapshot and swaps it under a lock, so readers
/// (Get, List, Resolve, SelfAndDescendants) never lock and always see one consistent set.
/// </summary>
public sealed class ModelCatalog(ModelParserOptions? options = null) : IModelResolver
{
    private readonly ModelParser _parser = new(options);
    private readonly Lock _writeLock = new();
    private volatile Snapshot _snapshot = Snapshot.Empty;

    public int Count => _snapshot.Entries.Count;

    /// <summary>Validates the documents against each other and the catalog, then adds all of them or none.</summary>
    public Result<IReadOnlyList<ModelEntry>> Add(IReadOnlyList<ModelDocument> documents, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(documents);
        lock (_writeLock)
        {
            var current = _snapshot;
            var parsed = _parser.Parse(documents, current.Resolver);
            if (!parsed.IsValid)
            {
                return ParserError(parsed);
            }

            var seen = new HashSet<Dtmi>();
            foreach (var m in parsed.Interfaces)
            {
                if (current.Entries.ContainsKey(m.Id) || !seen.Add(m.Id))
                {
                    return Result<IReadOnlyList<ModelEntry>>.Fail("ModelAlreadyExists", $"Model '{m.Id}' already exists; upload a new version instead.");
                }
            }

            var added = parsed.Interfaces.Select(m => new ModelEntry(m, now, false)).ToList();
            _snapshot = current.With(added);
            return Result<IReadOnlyList<ModelEntry>>.Ok(added);
        }
    }

    public ModelEntry? Get(Dtmi id) => _snapshot.Entries.GetValueOrDefault(id);

    /// <inheritdoc/>
    public InterfaceModel? Resolve(Dtmi id) => Get(id)?.Model;

    /// <summary>
    /// All models, or (as ADT's dependenciesFor does) the given ones plus everything they depend on through extends,
    /// component schemas and relationship targets, transitively. Unknown ids are skipped; callers check them with Get.
    /// </summary>
    public IReadOnlyList<ModelEntry> List(IReadOnlyCollection<Dtmi>? dependenciesFor = null)
    {
        var snapshot = _snapshot;
        if (dependenciesFor is null)
        {
            return snapshot.Entries.Values.OrderBy(e => e.Model.Id).ToList();
        }

        var result = new List<ModelEntry>();
        var seen = new HashSet<Dtmi>();
        var queue = new Queue<Dtmi>(dependenciesFor);
        while (queue.TryDequeue(out var id))
        {
            if (!seen.Add(id) || !snapshot.Entries.TryGetValue(id, out var entry))
            {
                continue;
            }

            result.Add(entry);
            foreach (var dep in DependenciesOf(entry.Model))
            {
                queue.Enqueue(dep);
            }
        }

        return result;
    }

    public Result<ModelEntry> Decommission(Dtmi id)
    {
        lock (_writeLock)
        {
            var current = _snapshot;
            if (!current.Entries.TryGetValue(id, out var entry))
            {
                return NotFound<ModelEntry>(id);
            }

            var updated = entry with { Decommissioned = true };
            _snapshot = current.Replace(updated);
            return Result<ModelEntry>.Ok(updated);
        }
    }

    /// <summary>Deletes a model unless another model extends it or uses it as a component schema (relationship targets do not block, as in ADT).</summary>
    public Result<bool> Delete(Dtmi id)
    {
        lock (_writeLock)
        {
            var current = _snapshot;
            if (!current.Entries.ContainsKey(id))
            {
                return NotFound<bool>(id);
            }

            var users = new List<string>();
            foreach (var (otherId, other) in current.Entries)
            {
                if (otherId == id)
                {
                    continue;
                }

                if (other.Model.Extends.Contains(id))
                {
                    users.Add($"{otherId} extends it");
                }

                if (other.Model.Components.FirstOrDefault(c => c.Schema == id && c.DefinedIn == otherId) is { } comp)
                {
                    users.Add($"{otherId} uses it as the schema of component '{comp.Name}'");
                }
            }

            if (users.Count > 0)
            {
                users.Sort(StringComparer.Ordinal);
                return Result<bool>.Fail("ModelReferencesNotDeleted", $"Model '{id}' is still referenced: {string.Join("; ", users)}.");
            }

            _snapshot = current.Without(id);
            return Result<bool>.Ok(true);
        }
    }

    /// <summary>The model and every model that extends it, directly or not; computed once per snapshot.</summary>
    public IReadOnlySet<Dtmi> SelfAndDescendants(Dtmi id) =>
        _snapshot.Descendants.TryGetValue(id, out var set) ? set : new HashSet<Dtmi> { id };

    /// <summary>Reloads stored models at start-up as one set, keeping their upload times and decommission flags; all or nothing.</summary>
    public Result<IReadOnlyList<ModelEntry>> Restore(IReadOnlyList<(string Json, DateTimeOffset UploadTime, bool Decommissioned)> stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        lock (_writeLock)
        {
            var current = _snapshot;
            var documents = stored.Select((s, i) => new ModelDocument($"stored[{i}]", s.Json)).ToList();
            var parsed = _parser.Parse(documents, current.Resolver);
            if (!parsed.IsValid)
            {
                return ParserError(parsed);
            }

            var entries = new List<ModelEntry>(parsed.Interfaces.Count);
            var meta = MetadataByTopLevelId(stored);
            foreach (var m in parsed.Interfaces)
            {
                if (current.Entries.ContainsKey(m.Id))
                {
                    return Result<IReadOnlyList<ModelEntry>>.Fail("ModelAlreadyExists", $"Model '{m.Id}' already exists.");
                }

                var (uploaded, decommissioned) = meta.TryGetValue(m.Id.Value, out var x) ? x : (stored[0].UploadTime, false);
                entries.Add(new ModelEntry(m, uploaded, decommissioned));
            }

            _snapshot = current.With(entries);
            return Result<IReadOnlyList<ModelEntry>>.Ok(entries);
        }
    }

    private static Dictionary<string, (DateTimeOffset, bool)> MetadataByTopLevelId(IReadOnlyList<(string Json, DateTimeOffset UploadTime, bool Decommissioned)> stored)
    {
        var meta = new Dictionary<string, (DateTimeOffset, bool)>(StringComparer.Ordinal);
        foreach (var (json, uploaded, decommissioned) in stored)
        {
            using var doc = System.Text.Json.JsonDocument.Parse(json.TrimStart('\uFEFF'));
            var roots = doc.RootElement.ValueKind == System.Text.Json.JsonValueKind.Array ? doc.RootElement.EnumerateArray().ToList() : [doc.RootElement];
            foreach (var root in roots)
            {
                if (root.ValueKind == System.Text.Json.JsonValueKind.Object && root.TryGetProperty("@id", out var id) && id.GetString() is { } s)
                {
                    meta.TryAdd(s, (uploaded, decommissioned));
                }
            }
        }

        return meta;
    }

    private static IEnumerable<Dtmi> DependenciesOf(InterfaceModel m)
    {
        foreach (var b in m.Extends)
        {
            yield return b;
        }

        foreach (var c in m.Contents.Values)
        {
            switch (c)
            {
                case ComponentDef comp:
                    yield return comp.Schema;
                    break;
                case RelationshipDef { Target: { } t }:
                    yield return t;
                    break;
            }
        }
    }

    private static Result<IReadOnlyList<ModelEntry>> ParserError(ModelParseResult parsed)
    {
        var details = parsed.Errors.Select(e => new DoppelError("DTDLParserError", $"{e.Document} {e.Path}: {e.Rule}: {e.Message}")).ToList();
        var documents = parsed.Errors.Select(e => e.Document).Distinct().Count();
        var first = parsed.Errors[0];
        var message = $"{parsed.Errors.Count} error(s) in {documents} document(s); first: {first.Document} {first.Path}: {first.Message}";
        return new DoppelError("DTDLParserError", message) { Details = details };
    }

    private static Result<T> NotFound<T>(Dtmi id) => Result<T>.Fail("ModelNotFound", $"There is no model with id '{id}'.");

    private sealed class SnapshotResolver(ImmutableDictionary<Dtmi, ModelEntry> entries) : IModelResolver
    {
        public InterfaceModel? Resolve(Dtmi id) => entries.GetValueOrDefault(id)?.Model;
    }

    /// <summary>One immutable state of the catalog; derived indexes are computed lazily, once per snapshot.</summary>
    private sealed class Snapshot
    {
        public static readonly Snapshot Empty = new(ImmutableDictionary<Dtmi, ModelEntry>.Empty);

        private readonly Lazy<FrozenDictionary<Dtmi, IReadOnlySet<Dtmi>>> _descendants;

        private Snapshot(ImmutableDictionary<Dtmi, ModelEntry> entries)
        {
            Entries = entries;
            _descendants = new Lazy<FrozenDictionary<Dtmi, IReadOnlySet<Dtmi>>>(BuildDescendants, LazyThreadSafetyMode.ExecutionAndPublication);
        }

        public ImmutableDictionary<Dtmi, ModelEntry> Entries { get; }

        public IModelResolver Resolver => new SnapshotResolver(Entries);

        public FrozenDictionary<Dtmi, IReadOnlySet<Dtmi>> Descendants => _descendants.Value;

        public Snapshot With(IEnumerable<ModelEntry> added) => new(Entries.AddRange(added.Select(e => KeyValuePair.Create(e.Model.Id, e))));

        public Snapshot Replace(ModelEntry entry) => new(Entries.SetItem(entry.Model.Id, entry));

        public Snapshot Without(Dtmi id) => new(Entries.Remove(id));

        private FrozenDictionary<Dtmi, IReadOnlySet<Dtmi>> BuildDescendants()
        {
            var sets = new Dictionary<Dtmi, HashSet<Dtmi>>();
            foreach (var (id, entry) in Entries)
            {
                Set(id).Add(id);
                foreach (var ancestor in entry.Model.Ancestors)
                {
                    Set(ancestor).Add(id);
                }
            }

            return sets.ToFrozenDictionary(kv => kv.Key, kv => (IReadOnlySet<Dtmi>)kv.Value.ToFrozenSet());

            HashSet<Dtmi> Set(Dtmi id) => sets.TryGetValue(id, out var s) ? s : sets[id] = [];
        }
    }
}
