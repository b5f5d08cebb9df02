using System.Text.Json.Nodes;
using Doppel.Twins;

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
    private readonly IQuerySource _source;
    private readonly Evaluator _evaluator;
    private readonly CancellationToken _ct;
    private readonly TwinGraph? _graph;
    private readonly AccessPath? _primary;
    private readonly List<AccessPath> _secondary = [];

    public Executor(QueryPlan plan, IQuerySource source, CancellationToken ct)
    {
        (_plan, _source, _ct) = (plan, source, ct);
        _evaluator = new Evaluator(plan, source);
        _graph = (source as TwinGraphQuerySource)?.Graph;
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
        if (_graph is not null && !_plan.IsRelationships && !_plan.IsMultiAlias)
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
    public IEnumerable<(string Anchor, JsonObject?[] Row)> Rows(string? after, int skip)
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

    public JsonNode Project(JsonObject?[] row) => _evaluator.Project(row);

    public QueryValue Value(PathExpr path, JsonObject?[] row) => _evaluator.Value(path, row);

    private void Tick()
    {
        if (++Scanned % CancellationStride == 0)
        {
            _ct.ThrowIfCancellationRequested();
        }
    }

    private IEnumerable<(string Id, JsonObject? Doc)> Anchors(string? after)
    {
        if (_primary is null)
        {
            foreach (var twin in _source.TwinsAfter(after))
            {
                Tick();
                yield return (twin["$dtId"]!.GetValue<string>(), twin);
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
    private IEnumerable<JsonObject?[]> RowsOf(string id, JsonObject? doc)
    {
        var row = new JsonObject?[_plan.Slots.Count];
        if (_plan.IsRelationships)
        {
            foreach (var relationship in _source.Relationships(id))
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
        doc ??= _source.Twin(id);
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

    private IEnumerable<JsonObject?[]> Expand(JsonObject?[] row, int step)
    {
        if (step == _plan.Steps.Count)
        {
            yield return row;
            yield break;
        }
        var s = _plan.Steps[step];
        var fromId = row[s.From]!["$dtId"]!.GetValue<string>();
        if (s.MinHops == 1 && s.MaxHops == 1)
        {
            foreach (var (relationship, otherId) in Neighbors(fromId, s))
            {
                if (_source.Twin(otherId) is not { } other)
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
            }
            yield break;
        }
        foreach (var endId in Reachable(fromId, s))
        {
            if (_source.Twin(endId) is not { } other)
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

    private IEnumerable<(JsonObject Relationship, string OtherId)> Neighbors(string id, ExpandStep s)
    {
        if (s.Direction is EdgeDirection.Forward or EdgeDirection.Any)
        {
            foreach (var r in _source.Relationships(id))
            {
                Tick();
                if (NameMatches(r, s))
                {
                    yield return (r, r["$targetId"]!.GetValue<string>());
                }
            }
        }
        if (s.Direction is EdgeDirection.Backward or EdgeDirection.Any)
        {
            foreach (var r in _source.IncomingRelationships(id))
            {
                Tick();
                if (NameMatches(r, s))
                {
                    yield return (r, r["$sourceId"]!.GetValue<string>());
                }
            }
        }
    }

    private static bool NameMatches(JsonObject relationship, ExpandStep s)
    {
        if (s.Names.Count == 0)
        {
            return true;
        }
        var name = relationship["$relationshipName"]!.GetValue<string>();
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
                var key = (r["$sourceId"]!.GetValue<string>(), r["$relationshipId"]!.GetValue<string>());
                if (used.Add(key))
                {
                    Walk(other, depth + 1);
                    used.Remove(key);
                }
            }
        }
    }
}
