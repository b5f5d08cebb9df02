using System.Collections.Immutable;
using System.Text.Json;

namespace Doppel.Twins.Internal;

/// <summary>A primitive property value as an index key; values of different JSON kinds never compare equal.</summary>
internal readonly record struct IndexKey(JsonValueKind Kind, double Number, string? String) : IComparable<IndexKey>
{
    public static bool TryCreate(JsonElement value, out IndexKey key)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                key = new IndexKey(JsonValueKind.String, 0, value.GetString());
                return true;
            case JsonValueKind.Number:
                key = new IndexKey(JsonValueKind.Number, value.GetDouble(), null);
                return true;
            case JsonValueKind.True or JsonValueKind.False:
                // Booleans share one kind so that false sorts before true, as the query language orders them.
                key = new IndexKey(JsonValueKind.True, value.ValueKind == JsonValueKind.True ? 1 : 0, null);
                return true;
            default:
                key = default;
                return false;
        }
    }

    public int CompareTo(IndexKey other) =>
        Kind != other.Kind ? Kind.CompareTo(other.Kind)
        : Kind == JsonValueKind.String ? string.CompareOrdinal(String, other.String)
        : Number.CompareTo(other.Number);
}

/// <summary>
/// Twin ids by the value of one top-level primitive property: built on the first query that filters on the property,
/// then maintained by every twin write (under the graph's write lock). Readers see immutable snapshots.
/// </summary>
internal sealed class PropertyIndex(string name)
{
    private volatile ImmutableSortedDictionary<IndexKey, SortedIdList> _values = ImmutableSortedDictionary<IndexKey, SortedIdList>.Empty;
    private volatile SortedIdList _others = SortedIdList.Empty;
    private volatile SortedIdList _defined = SortedIdList.Empty;

    public string Name { get; } = name;

    public ImmutableSortedDictionary<IndexKey, SortedIdList> Values => _values;

    /// <summary>Ids of twins whose value is present but not a key: null, an object, an array, or a component of that name.</summary>
    public SortedIdList Others => _others;

    /// <summary>Ids of twins where the property is present at all (a key or one of <see cref="Others"/>).</summary>
    public SortedIdList Defined => _defined;

    public SortedIdList Equal(IndexKey key) => _values.TryGetValue(key, out var ids) ? ids : SortedIdList.Empty;

    /// <summary>Called under the graph's write lock with the twin's previous and new version (either may be null).</summary>
    public void Update(string id, TwinDocument? before, TwinDocument? after)
    {
        var wasDefined = IsDefined(before);
        var isDefined = IsDefined(after);
        if (wasDefined != isDefined)
        {
            _defined = isDefined ? _defined.Add(id) : _defined.Remove(id);
        }
        var wasOther = IsOther(before);
        var isOther = IsOther(after);
        if (wasOther != isOther)
        {
            _others = isOther ? _others.Add(id) : _others.Remove(id);
        }
        IndexKey oldKey = default, newKey = default;
        var hadOld = before is not null && before.TryGetProperty(Name, out var ov) && IndexKey.TryCreate(ov, out oldKey);
        var hasNew = after is not null && after.TryGetProperty(Name, out var nv) && IndexKey.TryCreate(nv, out newKey);
        if (hadOld && hasNew && oldKey.CompareTo(newKey) == 0)
        {
            return;
        }
        var values = _values;
        if (hadOld && values.TryGetValue(oldKey, out var oldIds))
        {
            var removed = oldIds.Remove(id);
            values = removed.Count == 0 ? values.Remove(oldKey) : values.SetItem(oldKey, removed);
        }
        if (hasNew)
        {
            values = values.SetItem(newKey, (values.TryGetValue(newKey, out var ids) ? ids : SortedIdList.Empty).Add(id));
        }
        _values = values;
    }

    /// <summary>
    /// Adds twins that were not in the index (in ordinal id order), merging each list once: a bulk import's chunk, or
    /// every twin when the index is first built. Called under the graph's write lock.
    /// </summary>
    public void AddNew(IEnumerable<TwinDocument> sortedTwins)
    {
        var lists = new SortedDictionary<IndexKey, List<string>>();
        var others = new List<string>();
        var defined = new List<string>();
        Collect(sortedTwins, lists, others, defined);
        var values = _values;
        foreach (var (key, ids) in lists)
        {
            values = values.SetItem(key, (values.TryGetValue(key, out var existing) ? existing : SortedIdList.Empty).AddRange(ids));
        }
        _values = values;
        _others = _others.AddRange(others);
        _defined = _defined.AddRange(defined);
    }

    // Sorts twins (given in id order) into the lists of each key, of others and of defined.
    private void Collect(IEnumerable<TwinDocument> twins, SortedDictionary<IndexKey, List<string>> lists, List<string> others, List<string> defined)
    {
        foreach (var twin in twins)
        {
            if (IsDefined(twin))
            {
                defined.Add(twin.Id);
            }
            if (IsOther(twin))
            {
                others.Add(twin.Id);
            }
            if (twin.TryGetProperty(Name, out var value) && IndexKey.TryCreate(value, out var key))
            {
                if (!lists.TryGetValue(key, out var ids))
                {
                    lists[key] = ids = [];
                }
                ids.Add(twin.Id);
            }
        }
    }

    private bool IsDefined(TwinDocument? twin) => twin is not null && (twin.TryGetProperty(Name, out _) || twin.ComponentStates.ContainsKey(Name));

    private bool IsOther(TwinDocument? twin) =>
        twin is not null && ((twin.TryGetProperty(Name, out var value) && !IndexKey.TryCreate(value, out _)) || twin.ComponentStates.ContainsKey(Name));
}
