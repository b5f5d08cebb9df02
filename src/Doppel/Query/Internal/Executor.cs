using System.Text.Json.Nodes;
using Doppel.Twins;
using Doppel.Twins.Internal;

namespace Doppel.Query.Internal;

/// <summary>
/// Runs a plan: enumerates anchor candidates through the cheapest access path (intersected with the others by
/// membership), expands each anchor along the JOIN/MATCH steps, re-checks the whole WHERE on every row and projects.
/// </summary>
internal sealed class Executor
{
    // Cancellation is checked every this many units of work.
    private const int CancellationStride = 64;

    private readonly QueryPlan _plan;
    private readonly HashSet<(string, string)> _boundEdges = [];
    private readonly IQuerySource _source;
    private readonly Evaluator _evaluator;
    private readonly CancellationToken _ct;
    private readonly TwinGraph? _graph;
    private readonly TwinVisibility? _visibility;
    private readonly AccessPath? _primary;
    private readonly List<AccessPath> _secondary = [];

    public Executor(QueryPlan plan, IQuerySource source, CancellationToken ct)
    {
        (_plan, _source, _ct) = (plan, source, ct);
        _evaluator = new Evaluator(plan, source);
        // Hidden properties must not be found through the graph's indexes: a reader from whom some are hidden scans
        // redacted documents through the source instead.
        _visibility = (source as TwinGraphQuerySource)?.Visibility;
        _graph = _visibility?.Redact is null ? (source as TwinGraphQuerySource)?.Graph : null;
        foreach (var path in AccessPaths.For(plan, _graph, source))
        {
            if (_primary is null || path.Estimate < _primary.Estimate)
            {
                if (_primary is not null)
                {
                    _secondary.Add(_primary);
                }
                _primary = path;
            }
            else
            {
                _secondary.Add(path);
            }
        }
    }

    /// <summary>Units of work: anchor candidates examined plus relationships followed.</summary>
    public long Scanned { get; private set; }

    public long Count()
    {
        // COUNT of a bare collection or of IS_OF_MODEL alone is the size of index sets: no document is read.
        if (_graph is not null && _visibility is null && !_plan.IsRelationships && !_plan.IsMultiAlias)
        {
            if (_plan.Syntax.Where is null)
            {
                return _graph.Ids.Count;
            }
            if (_plan.Syntax.Where is CallExpr { Name: "IS_OF_MODEL" } && _primary is UnionPath models)
            {
                return models.Estimate;
            }
        }
        long count = 0;
        foreach (var (_, _) in Rows(null, 0))
        {
            count++;
        }
        return count;
    }

    /// <summary>Matching rows in anchor order with their anchor id, resuming after <paramref name="after"/> (or inside it, skipping <paramref name="skip"/> rows).</summary>
    public IEnumerable<(string Anchor, Doc?[] Row)> Rows(string? after, int skip)
    {
        if (skip > 0 && after is not null)
        {
            var skipped = 0;
            foreach (var row in RowsOf(after, null))
            {
                if (skipped++ >= skip)
                {
                    yield return (after, row);
                }
            }
        }
        foreach (var (id, doc) in Anchors(after))
        {
            foreach (var row in RowsOf(id, doc))
            {
                yield return (id, row);
            }
        }
    }

    public JsonNode Project(Doc?[] row) => _evaluator.Project(row);

    public QueryValue Value(PathExpr path, Doc?[] row) => _evaluator.Value(path, row);

    public bool TryProject(PathExpr path, Doc?[] row, out JsonNode? value) => _evaluator.TryProject(path, row, out value);

    /// <summary>
    /// Rows of a single-alias twin query already in the order of <paramref name="order"/>, walked from the value index of
    /// a top-level property, so a caller that needs the first <paramref name="keep"/> rows stops there; null when the
    /// plan does not allow it or the filter's own candidates are few enough to sort.
    /// </summary>
    public IEnumerable<Doc?[]>? OrderedRows(OrderItem order, int keep)
    {
        var segments = order.Path.Segments;
        var (slot, skip) = _plan.Resolve(segments);
        if (_graph is null || _plan.IsMultiAlias || _plan.IsRelationships || slot != 0 || segments.Count != skip + 1 || segments[skip].StartsWith('$'))
        {
            return null;
        }
        if (_primary is not null && _primary.Estimate < 4L * keep)
        {
            return null;
        }
        return IndexOrder(_graph.PropertyIndex(segments[skip]), segments, skip, order.Descending);
    }

    // Query order is undefined, null, booleans, numbers, strings, arrays, objects; the index holds booleans, numbers and
    // strings (sorted strings, numbers, booleans), its Others list the null, array and object values. Undefined values
    // are found by a scan of the candidates, which ascending order needs first and descending order only last.
    private IEnumerable<Doc?[]> IndexOrder(PropertyIndex index, IReadOnlyList<string> segments, int skip, bool descending)
    {
        var entries = index.Values.ToArray();
        var others = new List<(ValueKind Kind, string Id, Doc Doc)>();
        foreach (var id in index.Others.After(null))
        {
            Tick();
            if (IsCandidate(id) && Twin(id) is { } doc)
            {
                others.Add((doc.Read(segments, skip).Kind, id, doc));
            }
        }
        var kinds = descending
            ? new[] { ValueKind.Object, ValueKind.Array, ValueKind.String, ValueKind.Number, ValueKind.Bool, ValueKind.Null, ValueKind.Undefined }
            : [ValueKind.Undefined, ValueKind.Null, ValueKind.Bool, ValueKind.Number, ValueKind.String, ValueKind.Array, ValueKind.Object];
        foreach (var kind in kinds)
        {
            if (kind == ValueKind.Undefined)
            {
                // Candidates and the ids that have the property are both in id order: a merge finds the others
                // without reading a document (ids are shared strings, so most comparisons are reference checks).
                using var defined = index.Defined.After(null).GetEnumerator();
                var more = defined.MoveNext();
                foreach (var id in _primary?.IdsAfter(null) ?? _graph!.Ids.After(null))
                {
                    Tick();
                    while (more && string.CompareOrdinal(defined.Current, id) < 0)
                    {
                        more = defined.MoveNext();
                    }
                    if ((more && string.Equals(defined.Current, id, StringComparison.Ordinal)) || !InSecondary(id) || Twin(id) is not { } doc)
                    {
                        continue;
                    }
                    foreach (var row in RowsOf(id, doc))
                    {
                        yield return row;
                    }
                }
            }
            else if (kind is ValueKind.Null or ValueKind.Array or ValueKind.Object)
            {
                foreach (var (k, id, doc) in others)
                {
                    if (k == kind)
                    {
                        foreach (var row in RowsOf(id, doc))
                        {
                            yield return row;
                        }
                    }
                }
            }
            else
            {
                var keyKind = kind switch
                {
                    ValueKind.Bool => System.Text.Json.JsonValueKind.True,
                    ValueKind.Number => System.Text.Json.JsonValueKind.Number,
                    _ => System.Text.Json.JsonValueKind.String,
                };
                for (var i = 0; i < entries.Length; i++)
                {
                    var entry = entries[descending ? entries.Length - 1 - i : i];
                    if (entry.Key.Kind != keyKind)
                    {
                        continue;
                    }
                    foreach (var id in entry.Value.After(null))
                    {
                        Tick();
                        if (IsCandidate(id) && Twin(id) is { } doc)
                        {
                            foreach (var row in RowsOf(id, doc))
                            {
                                yield return row;
                            }
                        }
                    }
                }
            }
        }
    }

    private bool IsCandidate(string id) => (_primary is null || _primary.Contains(id)) && InSecondary(id);

    /// <summary>A twin by id, read in place from the graph when there is one.</summary>
    public Doc? Twin(string id)
    {
        if (_graph is not null)
        {
            return _graph.TryGetTwin(id, out var twin) && (_visibility?.Twin(twin) ?? true) ? Doc.Of(twin) : null;
        }
        return _source.Twin(id) is { } json ? Doc.Of(json) : null;
    }

    private IEnumerable<Doc> Outgoing(string id)
    {
        if (_graph is not null)
        {
            foreach (var r in _graph.Outgoing(id))
            {
                if (_visibility?.Relationship(r) ?? true)
                {
                    yield return Doc.Of(r);
                }
            }
            yield break;
        }
        foreach (var r in _source.Relationships(id))
        {
            yield return Doc.Of(r);
        }
    }

    private IEnumerable<Doc> Incoming(string id)
    {
        if (_graph is not null)
        {
            foreach (var r in _graph.Incoming(id))
            {
                if (_visibility?.Relationship(r) ?? true)
                {
                    yield return Doc.Of(r);
                }
            }
            yield break;
        }
        foreach (var r in _source.IncomingRelationships(id))
        {
            yield return Doc.Of(r);
        }
    }

    private void Tick()
    {
        if (++Scanned % CancellationStride == 0)
        {
            _ct.ThrowIfCancellationRequested();
        }
    }

    private IEnumerable<(string Id, Doc? Doc)> Anchors(string? after)
    {
        if (_primary is null)
        {
            if (_graph is not null)
            {
                foreach (var twin in _graph.TwinsAfter(after))
                {
                    Tick();
                    if (_visibility?.Twin(twin) ?? true)
                    {
                        yield return (twin.Id, Doc.Of(twin));
                    }
                }
                yield break;
            }
            foreach (var twin in _source.TwinsAfter(after))
            {
                Tick();
                var doc = Doc.Of(twin);
                yield return (doc.DtId, doc);
            }
            yield break;
        }
        foreach (var id in _primary.IdsAfter(after))
        {
            Tick();
            if (InSecondary(id))
            {
                yield return (id, null);
            }
        }
    }

    private bool InSecondary(string id)
    {
        foreach (var path in _secondary)
        {
            if (!path.Contains(id))
            {
                return false;
            }
        }
        return true;
    }

    // Matching rows of one anchor, in a deterministic order (relationship id order at every step).
    private IEnumerable<Doc?[]> RowsOf(string id, Doc? doc)
    {
        var row = new Doc?[_plan.Slots.Count];
        if (_plan.IsRelationships)
        {
            foreach (var relationship in Outgoing(id))
            {
                Tick();
                row[0] = relationship;
                if (_evaluator.Matches(row))
                {
                    yield return row;
                }
            }
            yield break;
        }
        doc ??= Twin(id);
        if (doc is null)
        {
            yield break;
        }
        row[0] = doc;
        foreach (var bound in Expand(row, 0))
        {
            if (_evaluator.Matches(bound))
            {
                yield return bound;
            }
        }
    }

    private IEnumerable<Doc?[]> Expand(Doc?[] row, int step)
    {
        if (step == _plan.Steps.Count)
        {
            yield return row;
            yield break;
        }
        var s = _plan.Steps[step];
        var fromId = row[s.From]!.DtId;
        if (s.MinHops == 1 && s.MaxHops == 1)
        {
            // In a MATCH pattern one relationship binds at most one edge (as in Cypher): (a)-[]->(f)<-[]-(b) never
            // answers b = a through the same relationship walked back.
            var distinctEdges = _plan.Syntax.From.Match is not null;
            foreach (var (relationship, otherId) in Neighbors(fromId, s))
            {
                if (Twin(otherId) is not { } other)
                {
                    continue;
                }
                var edge = (relationship.SourceId, relationship.RelationshipId);
                if (distinctEdges && !_boundEdges.Add(edge))
                {
                    continue;
                }
                row[s.To] = other;
                if (s.Relationship >= 0)
                {
                    row[s.Relationship] = relationship;
                }
                foreach (var bound in Expand(row, step + 1))
                {
                    yield return bound;
                }
                if (distinctEdges)
                {
                    _boundEdges.Remove(edge);
                }
            }
            yield break;
        }
        foreach (var endId in Reachable(fromId, s))
        {
            if (Twin(endId) is not { } other)
            {
                continue;
            }
            row[s.To] = other;
            foreach (var bound in Expand(row, step + 1))
            {
                yield return bound;
            }
        }
    }

    private IEnumerable<(Doc Relationship, string OtherId)> Neighbors(string id, ExpandStep s)
    {
        if (s.Direction is EdgeDirection.Forward or EdgeDirection.Any)
        {
            foreach (var r in Outgoing(id))
            {
                Tick();
                if (NameMatches(r, s))
                {
                    yield return (r, r.TargetId);
                }
            }
        }
        if (s.Direction is EdgeDirection.Backward or EdgeDirection.Any)
        {
            foreach (var r in Incoming(id))
            {
                Tick();
                if (NameMatches(r, s))
                {
                    yield return (r, r.SourceId);
                }
            }
        }
    }

    private static bool NameMatches(Doc relationship, ExpandStep s)
    {
        if (s.Names.Count == 0)
        {
            return true;
        }
        var name = relationship.RelationshipName;
        foreach (var n in s.Names)
        {
            if (n == name)
            {
                return true;
            }
        }
        return false;
    }

    // Twins reached in MinHops..MaxHops hops, each once, in the order first reached by a depth-first walk. A path never
    // uses the same relationship twice, so a cycle is walked around once and no further (ADT: "cycles traversed once").
    private List<string> Reachable(string start, ExpandStep s)
    {
        var found = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var used = new HashSet<(string, string)>();
        Walk(start, 0);
        return found;

        void Walk(string id, int depth)
        {
            if (depth >= s.MinHops && seen.Add(id))
            {
                found.Add(id);
            }
            if (depth == s.MaxHops)
            {
                return;
            }
            foreach (var (r, other) in Neighbors(id, s))
            {
                var key = (r.SourceId, r.RelationshipId);
                if (used.Add(key))
                {
                    Walk(other, depth + 1);
                    used.Remove(key);
                }
            }
        }
    }
}
