namespace Doppel.Packs;

/// <summary>
/// A mapping of a document (a YAML mapping, a JSON object), its keys in the order written. Optional getters return
/// null for a missing key (or one written as <c>null</c>) and an error for a value of the wrong form; every key the
/// reader does not expect is refused with <see cref="Allow(IReadOnlyCollection{string})"/>, naming the valid key it most resembles.
/// </summary>
public sealed class DocumentMap : DocumentNode
{
    private readonly IReadOnlyList<KeyValuePair<DocumentScalar, DocumentNode>> _entries;
    private readonly Dictionary<string, DocumentNode> _values;

    internal DocumentMap(string path, int line, int column, IReadOnlyList<KeyValuePair<DocumentScalar, DocumentNode>> entries)
        : base(path, line, column)
    {
        _entries = entries;
        _values = new Dictionary<string, DocumentNode>(StringComparer.Ordinal);
        foreach (var (key, value) in entries)
        {
            if (!_values.TryAdd(key.Text, value))
            {
                throw key.Error($"the key '{key.Text}' is given twice");
            }
        }
    }

    /// <summary>The keys, in the order written.</summary>
    public IEnumerable<string> Keys => _entries.Select(e => e.Key.Text);

    /// <summary>The keys and their values, in the order written; the key's node says where it is.</summary>
    public IReadOnlyList<KeyValuePair<DocumentScalar, DocumentNode>> Entries => _entries;

    public int Count => _entries.Count;

    /// <summary>The value of a key, or null when it is missing or written as <c>null</c>.</summary>
    public DocumentNode? this[string key] => _values.TryGetValue(key, out var value) && value is not DocumentScalar { IsNull: true } ? value : null;

    /// <summary>Whether the key is written (even as <c>null</c>).</summary>
    public bool Contains(string key) => _values.ContainsKey(key);

    /// <summary>Refuses the first key that is not among <paramref name="allowed"/>, at its line, with the valid key it most resembles.</summary>
    public DocumentMap Allow(IReadOnlyCollection<string> allowed)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        foreach (var (key, _) in _entries)
        {
            if (!allowed.Contains(key.Text))
            {
                throw new DocumentException(key.Line, key.Column, Path, NearestName.UnknownKey("", key.Text, allowed));
            }
        }
        return this;
    }

    /// <inheritdoc cref="Allow(IReadOnlyCollection{string})"/>
    public DocumentMap Allow(params string[] allowed) => Allow((IReadOnlyCollection<string>)allowed);

    /// <summary>The value of a required key, or an error naming it and what it holds.</summary>
    public DocumentNode Required(string key, string what) => this[key] ?? throw Error($"'{key}' ({what}) is required");

    /// <summary>A text value, or null when the key is missing.</summary>
    public string? Text(string key) => this[key]?.ExpectScalar("a text").Text;

    /// <summary>A finite number, or null when the key is missing.</summary>
    public double? Number(string key) => this[key]?.ExpectScalar("a number").Number();

    /// <summary>A whole number, or null when the key is missing.</summary>
    public int? Integer(string key) => this[key]?.ExpectScalar("a whole number").Integer();

    /// <summary>A non-negative whole number, or null when the key is missing.</summary>
    public ulong? UnsignedInteger(string key) => this[key]?.ExpectScalar("a whole number").UnsignedInteger();

    /// <summary>true or false, or null when the key is missing.</summary>
    public bool? Boolean(string key) => this[key]?.ExpectScalar("true or false").Boolean();

    /// <summary>A mapping, or null when the key is missing.</summary>
    public DocumentMap? Map(string key, string what = "a mapping") => this[key]?.ExpectMap(what);

    /// <summary>A list, or null when the key is missing.</summary>
    public DocumentList? List(string key, string what = "a list") => this[key]?.ExpectList(what);
}
