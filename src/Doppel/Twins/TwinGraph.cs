using System.Collections.Concurrent;
using Doppel.Twins.Internal;

namespace Doppel.Twins;

/// <summary>The in-memory twin graph: twins by id, outgoing relationships by source and incoming ones by target.</summary>
/// <remarks>Readers may run concurrently with writers. Writes for one twin id are serialized by the caller; different twins (and so one target's incoming index) are written concurrently.</remarks>
public sealed class TwinGraph
{
    private readonly ConcurrentDictionary<string, TwinDocument> _twins = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RelationshipSet> _outgoing = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RelationshipSet> _incoming = new(StringComparer.Ordinal);
    // Twin writes take this lock so the id, model and property indexes change together with the twin table.
    private readonly Lock _writeLock = new();
    private readonly ConcurrentDictionary<string, SortedIdList> _byModel = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PropertyIndex> _byProperty = new(StringComparer.Ordinal);
    private volatile SortedIdList _ids = SortedIdList.Empty;

    public int TwinCount => _twins.Count;

    /// <summary>All twins in ordinal id order.</summary>
    public IEnumerable<TwinDocument> Twins => TwinsAfter(null);

    public bool TryGetTwin(string id, out TwinDocument twin) => _twins.TryGetValue(id, out twin!);

    /// <summary>A snapshot of all twin ids, ordinally sorted.</summary>
    internal SortedIdList Ids => _ids;

    /// <summary>A snapshot of the ids of the twins whose model is exactly <paramref name="model"/>.</summary>
    internal SortedIdList IdsOfModel(string model) => _byModel.TryGetValue(model, out var ids) ? ids : SortedIdList.Empty;

    /// <summary>The index of a top-level primitive property, built on first request and maintained by every write after that.</summary>
    internal PropertyIndex PropertyIndex(string name)
    {
        if (_byProperty.TryGetValue(name, out var index))
        {
            return index;
        }
        lock (_writeLock)
        {
            if (!_byProperty.TryGetValue(name, out index))
            {
                index = new PropertyIndex(name);
                index.AddNew(TwinsAfter(null));
                _byProperty[name] = index;
            }
            return index;
        }
    }

    public void PutTwin(TwinDocument t)
    {
        lock (_writeLock)
        {
            _twins.TryGetValue(t.Id, out var old);
            _twins[t.Id] = t;
            if (old is null)
            {
                _ids = _ids.Add(t.Id);
            }
            if (old is null || old.Model.Value != t.Model.Value)
            {
                if (old is not null)
                {
                    RemoveFromModel(old);
                }
                _byModel[t.Model.Value] = IdsOfModel(t.Model.Value).Add(t.Id);
            }
            foreach (var (_, index) in _byProperty)
            {
                index.Update(t.Id, old, t);
            }
        }
    }

    /// <summary>
    /// Adds twins that are not in the graph yet (a bulk import's chunk): the id, model and property indexes are merged
    /// once for the whole set rather than copied per twin. A twin whose id is already present is left out.
    /// </summary>
    public void PutNewTwins(IReadOnlyCollection<TwinDocument> twins)
    {
        lock (_writeLock)
        {
            var added = new List<TwinDocument>(twins.Count);
            foreach (var twin in twins)
            {
                if (_twins.TryAdd(twin.Id, twin))
                {
                    added.Add(twin);
                }
            }
            added.Sort(static (a, b) => string.CompareOrdinal(a.Id, b.Id));
            _ids = _ids.AddRange(added.ConvertAll(static t => t.Id));
            foreach (var group in added.GroupBy(static t => t.Model.Value, StringComparer.Ordinal))
            {
                _byModel[group.Key] = IdsOfModel(group.Key).AddRange(group.Select(static t => t.Id).ToList());
            }
            foreach (var (_, index) in _byProperty)
            {
                index.AddNew(added);
            }
        }
    }

    public bool RemoveTwin(string id)
    {
        lock (_writeLock)
        {
            if (!_twins.TryRemove(id, out var old))
            {
                return false;
            }

            _ids = _ids.Remove(id);
            RemoveFromModel(old);
            foreach (var (_, index) in _byProperty)
            {
                index.Update(id, old, null);
            }
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

    private void RemoveFromModel(TwinDocument old)
    {
        var remaining = IdsOfModel(old.Model.Value).Remove(old.Id);
        if (remaining.Count == 0)
        {
            _byModel.TryRemove(old.Model.Value, out _);
        }
        else
        {
            _byModel[old.Model.Value] = remaining;
        }
    }

    /// <summary>Twins whose id sorts (ordinally) after <paramref name="afterId"/>, in order; a snapshot of ids taken at the call, so paging survives concurrent changes.</summary>
    public IEnumerable<TwinDocument> TwinsAfter(string? afterId)
    {
        foreach (var id in _ids.After(afterId))
        {
            if (_twins.TryGetValue(id, out var twin))
            {
                yield return twin;
            }
        }
    }

    public bool TryGetRelationship(string sourceId, string relId, out RelationshipDocument r)
    {
        if (_outgoing.TryGetValue(sourceId, out var outgoing) && outgoing.TryGet(sourceId, relId, out r!))
        {
            return true;
        }

        r = null!;
        return false;
    }

    /// <summary>Adds or replaces a relationship; a replacement with a new target moves it between incoming indexes.</summary>
    public void PutRelationship(RelationshipDocument r)
    {
        var old = _outgoing.GetOrAdd(r.SourceId, static _ => new()).Put(r);
        if (old is not null && old.TargetId != r.TargetId && _incoming.TryGetValue(old.TargetId, out var oldIncoming))
        {
            oldIncoming.Remove(old.SourceId, old.Id, out _);
        }

        _incoming.GetOrAdd(r.TargetId, static _ => new()).Put(r);
    }

    public bool RemoveRelationship(string sourceId, string relId)
    {
        if (!_outgoing.TryGetValue(sourceId, out var outgoing) || !outgoing.Remove(sourceId, relId, out var old))
        {
            return false;
        }

        if (_incoming.TryGetValue(old.TargetId, out var incoming))
        {
            incoming.Remove(old.SourceId, old.Id, out _);
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

        var list = new List<RelationshipDocument>();
        outgoing.AddTo(list, name);

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

        var list = new List<RelationshipDocument>();
        incoming.AddTo(list);

        list.Sort(static (a, b) => string.CompareOrdinal(a.SourceId, b.SourceId) is var c and not 0 ? c : string.CompareOrdinal(a.Id, b.Id));
        return list;
    }

    /// <summary>True when the twin is the source or target of any relationship.</summary>
    public bool HasRelationships(string twinId) =>
        (_outgoing.TryGetValue(twinId, out var outgoing) && !outgoing.IsEmpty)
        || (_incoming.TryGetValue(twinId, out var incoming) && !incoming.IsEmpty);

    public int CountOutgoing(string sourceId, string name) =>
        _outgoing.TryGetValue(sourceId, out var outgoing) ? outgoing.Count(name) : 0;
}
