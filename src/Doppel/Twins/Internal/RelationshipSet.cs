using System.Collections.Concurrent;

namespace Doppel.Twins.Internal;

/// <summary>
/// One twin's outgoing or incoming relationships, keyed by (source id, relationship id). Readers take lock-free
/// snapshots; writers lock the set.
/// </summary>
/// <remarks>
/// Most twins have a handful of relationships, so a set starts as a copy-on-write array (one object, a few references)
/// rather than a dictionary, which costs hundreds of bytes per twin even when empty and is a large share of a big graph.
/// Past <see cref="SmallLimit"/> entries it moves to a dictionary, so a hub with many relationships does not copy an
/// ever larger array on every write.
/// </remarks>
internal sealed class RelationshipSet
{
    private const int SmallLimit = 32;

    // Either a RelationshipDocument[] or, past SmallLimit, a ConcurrentDictionary; one field, so readers see one or the other whole.
    private volatile object _items = Array.Empty<RelationshipDocument>();

    public bool IsEmpty => _items is RelationshipDocument[] small ? small.Length == 0 : Large.IsEmpty;

    private ConcurrentDictionary<(string Source, string Id), RelationshipDocument> Large => (ConcurrentDictionary<(string Source, string Id), RelationshipDocument>)_items;

    public bool TryGet(string sourceId, string id, out RelationshipDocument relationship)
    {
        if (_items is not RelationshipDocument[] small)
        {
            return Large.TryGetValue((sourceId, id), out relationship!);
        }
        var i = IndexOf(small, sourceId, id);
        relationship = i >= 0 ? small[i] : null!;
        return i >= 0;
    }

    /// <summary>Adds or replaces; returns the replaced relationship, if any.</summary>
    public RelationshipDocument? Put(RelationshipDocument relationship)
    {
        lock (this)
        {
            if (_items is not RelationshipDocument[] small)
            {
                RelationshipDocument? old = null;
                Large.AddOrUpdate((relationship.SourceId, relationship.Id), relationship, (_, previous) =>
                {
                    old = previous;
                    return relationship;
                });
                return old;
            }
            var i = IndexOf(small, relationship.SourceId, relationship.Id);
            if (i >= 0)
            {
                var replaced = (RelationshipDocument[])small.Clone();
                replaced[i] = relationship;
                _items = replaced;
                return small[i];
            }
            if (small.Length < SmallLimit)
            {
                var grown = new RelationshipDocument[small.Length + 1];
                small.CopyTo(grown, 0);
                grown[^1] = relationship;
                _items = grown;
                return null;
            }
            var moved = new ConcurrentDictionary<(string Source, string Id), RelationshipDocument>();
            foreach (var r in small)
            {
                moved[(r.SourceId, r.Id)] = r;
            }
            moved[(relationship.SourceId, relationship.Id)] = relationship;
            _items = moved;
            return null;
        }
    }

    public bool Remove(string sourceId, string id, out RelationshipDocument removed)
    {
        lock (this)
        {
            if (_items is not RelationshipDocument[] small)
            {
                return Large.TryRemove((sourceId, id), out removed!);
            }
            var i = IndexOf(small, sourceId, id);
            if (i < 0)
            {
                removed = null!;
                return false;
            }
            removed = small[i];
            var shrunk = new RelationshipDocument[small.Length - 1];
            Array.Copy(small, shrunk, i);
            Array.Copy(small, i + 1, shrunk, i, small.Length - i - 1);
            _items = shrunk;
            return true;
        }
    }

    /// <summary>Adds the relationships (those named <paramref name="name"/> when given) to <paramref name="list"/>, in no particular order.</summary>
    public void AddTo(List<RelationshipDocument> list, string? name = null)
    {
        if (_items is RelationshipDocument[] small)
        {
            // The common case, walked without an enumerator object.
            foreach (var r in small)
            {
                if (name is null || r.Name == name)
                {
                    list.Add(r);
                }
            }
            return;
        }
        foreach (var (_, r) in Large)
        {
            if (name is null || r.Name == name)
            {
                list.Add(r);
            }
        }
    }

    public int Count(string name)
    {
        var count = 0;
        if (_items is RelationshipDocument[] small)
        {
            foreach (var r in small)
            {
                count += r.Name == name ? 1 : 0;
            }
            return count;
        }
        foreach (var (_, r) in Large)
        {
            count += r.Name == name ? 1 : 0;
        }
        return count;
    }

    private static int IndexOf(RelationshipDocument[] items, string sourceId, string id)
    {
        for (var i = 0; i < items.Length; i++)
        {
            if (items[i].Id == id && items[i].SourceId == sourceId)
            {
                return i;
            }
        }
        return -1;
    }
}
