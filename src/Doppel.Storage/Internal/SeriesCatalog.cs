namespace Doppel.Storage.Internal;

/// <summary>
/// The (twin, name) pairs history holds, each with a small integer id: points store the id, so a row carries no strings
/// for its key, and a compacted run sorted by id keeps each series contiguous (DuckDB's zone maps then skip the rest).
/// </summary>
/// <remarks>Ids are assigned by the writer thread only; readers look them up under the same lock.</remarks>
internal sealed class SeriesCatalog
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string TwinId, string Name), int> _ids = [];
    private readonly List<(string TwinId, string Name)> _keys = [];
    private readonly Dictionary<string, List<int>> _byTwin = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<int>> _byName = new(StringComparer.Ordinal);

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _keys.Count;
            }
        }
    }

    /// <summary>Adds a series read from the store (ids are dense from 1).</summary>
    public void Load(int id, string twinId, string name)
    {
        lock (_gate)
        {
            while (_keys.Count < id)
            {
                _keys.Add(("", ""));
            }
            Index(id, twinId, name);
        }
    }

    /// <summary>The id of a series, creating it (and reporting it in <paramref name="created"/>) when new.</summary>
    public int GetOrAdd(string twinId, string name, List<(int Id, string TwinId, string Name)> created)
    {
        lock (_gate)
        {
            if (_ids.TryGetValue((twinId, name), out var id))
            {
                return id;
            }
            _keys.Add(("", ""));
            id = _keys.Count;
            Index(id, twinId, name);
            created.Add((id, twinId, name));
            return id;
        }
    }

    public (string TwinId, string Name) Key(int id)
    {
        lock (_gate)
        {
            return _keys[id - 1];
        }
    }

    /// <summary>
    /// The ids a (twins, names) filter selects, where an empty list means "any"; null when neither narrows the selection.
    /// </summary>
    public List<int>? Select(IReadOnlyList<string> twinIds, IReadOnlyList<string> names)
    {
        if (twinIds.Count == 0 && names.Count == 0)
        {
            return null;
        }
        lock (_gate)
        {
            var selected = new List<int>();
            if (twinIds.Count > 0)
            {
                var wanted = names.Count > 0 ? new HashSet<string>(names, StringComparer.Ordinal) : null;
                foreach (var twin in twinIds.Distinct(StringComparer.Ordinal))
                {
                    if (_byTwin.TryGetValue(twin, out var ids))
                    {
                        selected.AddRange(wanted is null ? ids : ids.Where(id => wanted.Contains(_keys[id - 1].Name)));
                    }
                }
            }
            else
            {
                foreach (var name in names.Distinct(StringComparer.Ordinal))
                {
                    if (_byName.TryGetValue(name, out var ids))
                    {
                        selected.AddRange(ids);
                    }
                }
            }
            selected.Sort();
            return selected;
        }
    }

    private void Index(int id, string twinId, string name)
    {
        _keys[id - 1] = (twinId, name);
        _ids[(twinId, name)] = id;
        Add(_byTwin, twinId, id);
        Add(_byName, name, id);
    }

    private static void Add(Dictionary<string, List<int>> index, string key, int id)
    {
        if (!index.TryGetValue(key, out var ids))
        {
            index[key] = ids = [];
        }
        ids.Add(id);
    }
}
