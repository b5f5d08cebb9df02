namespace Doppel.Ingest;

/// <summary>The mappings in force, most specific topic first; immutable, replaced whole when a mapping changes.</summary>
public sealed class MappingSet
{
    private readonly IngestMapping[] _ordered;

    public MappingSet(IEnumerable<IngestMapping> mappings)
    {
        _ordered = [.. mappings.OrderByDescending(m => m.Specificity).ThenBy(m => m.Id, StringComparer.Ordinal)];
    }

    public static MappingSet Empty { get; } = new([]);

    public IReadOnlyList<IngestMapping> Mappings => _ordered;

    /// <summary>The first mapping whose topic template matches, with its captures.</summary>
    public IngestMapping? Match(string topic, Dictionary<string, string> captures)
    {
        foreach (var mapping in _ordered)
        {
            if (mapping.Topic.TryMatch(topic, captures))
            {
                return mapping;
            }
        }
        return null;
    }

    public MappingSet With(IngestMapping mapping) => new(_ordered.Where(m => m.Id != mapping.Id).Append(mapping));

    public MappingSet Without(string id) => new(_ordered.Where(m => m.Id != id));
}
