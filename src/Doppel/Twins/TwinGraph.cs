using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace Doppel.Twins;

/// <summary>The in-memory twin graph: twins by id, outgoing relationships by source and incoming ones by target.</summary>
/// <remarks>Readers may run concurrently with writers. Writes for one twin id are serialized by the caller; different twins (and so one target's incoming index) are written concurrently.</remarks>
public sealed class TwinGraph
{
    private readonly ConcurrentDictionary<string, TwinDocument> _twins = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, RelationshipDocument>> _outgoing = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<(string Source, string Id), RelationshipDocument>> _incoming = new(StringComparer.Ordinal);
    private readonly Lock _idsLock = new();
    private ImmutableSortedSet<string> _ids = ImmutableSortedSet.Create<string>(StringComparer.Ordinal);

    public int TwinCount => _twins.Count;

    /// <summary>All twins in ordinal id order.</summary>
    public IEnumerable<TwinDocument> Twins => TwinsAfter(null);

    public bool TryGetTwin(string id, out TwinDocument twin) => _twins.TryGetValue(id, out twin!);

    public void PutTwin(TwinDocument t)
    {
        if (_twins.TryGetValue(t.Id, out _))
        {
            _twins[t.Id] = t;
            return;
        }

        lock (_idsLock)
        {
            _twins[t.Id] = t;
            _ids = _ids.Add(t.Id);
        }
    }

    public bool RemoveTwin(string id)
    {
        lock (_idsLock)
        {
            if (!_twins.TryRemove(id, out _))
            {
                return false;
            }

            _ids = _ids.Remove(id);
        }

        if (_outgoing.TryGetValue(id, out var outgoing) && outgoing.IsEmpty)
        {
            _outgoing.TryRemove(id, out _);
        }

        if (_incoming.TryGetValue(id, out var incoming) && incoming.IsEmpty)
        {
            _incoming.TryRemove(id, out _);
        }

        return true;
    }

    /// <summary>Twins whose id sorts (ordinally) after <paramref name="afterId"/>, in order; a snapshot of ids taken at the call, so paging survives concurrent changes.</summary>
    public IEnumerable<TwinDocument> TwinsAfter(string? afterId)
    {
        var ids = _ids;
        var start = 0;
        if (afterId is not null)
        {
            var index = ids.IndexOf(afterId);
            start = index >= 0 ? index + 1 : ~index;
        }

        for (var i = start; i < ids.Count; i++)
        {
            if (_twins.TryGetValue(ids[i], out var twin))
            {
                yield return twin;
            }
        }
    }

    public bool TryGetRelationship(string sourceId, string relId, out RelationshipDocument r)
    {
        if (_outgoing.TryGetValue(sourceId, out var outgoing) && outgoing.TryGetValue(relId, out r!))
        {
            return true;
        }

        r = null!;
        return false;
    }

    /// <summary>Adds or replaces a relationship; a replacement with a new target moves it between incoming indexes.</summary>
    public void PutRelationship(RelationshipDocument r)
    {
        var outgoing = _outgoing.GetOrAdd(r.SourceId, static _ => new(StringComparer.Ordinal));
        if (outgoing.TryGetValue(r.Id, out var old) && old.TargetId != r.TargetId && _incoming.TryGetValue(old.TargetId, out var oldIncoming))
        {
            oldIncoming.TryRemove((old.SourceId, old.Id), out _);
        }

        outgoing[r.Id] = r;
        _incoming.GetOrAdd(r.TargetId, static _ => new())[(r.SourceId, r.Id)] = r;
    }

    public bool RemoveRelationship(string sourceId, string relId)
    {
        if (!_outgoing.TryGetValue(sourceId, out var outgoing) || !outgoing.TryRemove(relId, out var old))
        {
            return false;
        }

        if (_incoming.TryGetValue(old.TargetId, out var incoming))
        {
            incoming.TryRemove((old.SourceId, old.Id), out _);
        }

        return true;
    }

    /// <summary>The source's relationships, optionally only those named <paramref name="name"/>, ordered by relationship id.</summary>
    public IReadOnlyList<RelationshipDocument> Outgoing(string sourceId, string? name = null)
    {
        if (!_outgoing.TryGetValue(sourceId, out var outgoing))
        {
            return [];
        }

        var list = new List<RelationshipDocument>(outgoing.Count);
        foreach (var (_, r) in outgoing)
        {
            if (name is null || r.Name == name)
            {
                list.Add(r);
            }
        }

        list.Sort(static (a, b) => string.CompareOrdinal(a.Id, b.Id));
        return list;
    }

    /// <summary>The relationships targeting <paramref name="targetId"/>, ordered by source then relationship id.</summary>
    public IReadOnlyList<RelationshipDocument> Incoming(string targetId)
    {
        if (!_incoming.TryGetValue(targetId, out var incoming))
        {
            return [];
        }

        var list = new List<RelationshipDocument>(incoming.Count);
        foreach (var (_, r) in incoming)
        {
            list.Add(r);
        }

        list.Sort(static (a, b) => string.CompareOrdinal(a.SourceId, b.SourceId) is var c and not 0 ? c : string.CompareOrdinal(a.Id, b.Id));
        return list;
    }

    /// <summary>True when the twin is the source or target of any relationship.</summary>
    public bool HasRelationships(string twinId) =>
        (_outgoing.TryGetValue(twinId, out var outgoing) && !outgoing.IsEmpty)
        || (_incoming.TryGetValue(twinId, out var incoming) && !incoming.IsEmpty);

    public int CountOutgoing(string sourceId, string name)
    {
        if (!_outgoing.TryGetValue(sourceId, out var outgoing))
        {
            return 0;
        }

        var count = 0;
        foreach (var (_, r) in outgoing)
        {
            if (r.Name == name)
            {
                count++;
            }
        }

        return count;
    }
}
