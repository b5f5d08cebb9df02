using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Doppel.Packs;

/// <summary>
/// YamlDotNet's parser with limits for untrusted YAML: collections nested at most <see cref="MaxDepth"/> deep (loading
/// a document recurses once per level, and deeper input overflowed the stack), and at most <see cref="MaxNodes"/> nodes
/// once aliases are expanded (readers copy an alias's node where it is used, so a few anchors that refer to each other
/// make an exponentially large document). Going past either is a <see cref="YamlException"/> at that place, as a syntax
/// error is.
/// </summary>
public sealed class BoundedYamlParser(TextReader input) : IParser
{
    public const int MaxDepth = 64;

    public const int MaxNodes = 100_000;

    private readonly Parser _inner = new(input);
    private readonly Dictionary<string, long> _anchorSizes = new(StringComparer.Ordinal);
    private readonly Stack<(string? Anchor, long Size)> _open = new();
    private long _nodes;

    public ParsingEvent? Current => _inner.Current;

    /// <summary>
    /// Loads YAML text within the limits. On some malformed input YamlDotNet fails with an InvalidOperationException
    /// (its scanner) or an ArgumentException (its node loader) instead of a YamlException; those become a YamlException
    /// at the place reading stopped, as a syntax error is.
    /// </summary>
    public static YamlStream Load(string text)
    {
        var parser = new BoundedYamlParser(new StringReader(text));
        var stream = new YamlStream();
        try
        {
            stream.Load(parser);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            var at = parser.Current?.Start ?? Mark.Empty;
            throw new YamlException(at, at, "The YAML cannot be read from here on: is a flow collection, a quote or a key left unfinished?");
        }

        return stream;
    }

    public bool MoveNext()
    {
        if (!_inner.MoveNext())
        {
            return false;
        }

        switch (_inner.Current)
        {
            case MappingStart or SequenceStart:
                if (_open.Count >= MaxDepth)
                {
                    throw Refuse($"collections nest more than {MaxDepth} deep");
                }

                _open.Push((Anchor((NodeEvent)_inner.Current), 1));
                Count(1);
                break;
            case MappingEnd or SequenceEnd when _open.Count > 0:
                {
                    var (anchor, size) = _open.Pop();
                    if (anchor is not null)
                    {
                        _anchorSizes[anchor] = size;
                    }

                    AddToParent(size);
                    break;
                }

            case Scalar scalar:
                if (Anchor(scalar) is { } name)
                {
                    _anchorSizes[name] = 1;
                }

                AddToParent(1);
                Count(1);
                break;
            case AnchorAlias alias:
                {
                    var size = _anchorSizes.GetValueOrDefault(alias.Value.Value, 1);
                    AddToParent(size);
                    Count(size);
                    break;
                }
        }

        return true;
    }

    private static string? Anchor(NodeEvent node) => node.Anchor.IsEmpty ? null : node.Anchor.Value;

    private void AddToParent(long size)
    {
        if (_open.Count > 0)
        {
            var (anchor, total) = _open.Pop();
            _open.Push((anchor, total + size));
        }
    }

    private void Count(long size)
    {
        _nodes += size;
        if (_nodes > MaxNodes)
        {
            throw Refuse($"the document has more than {MaxNodes:N0} nodes once its aliases are expanded");
        }
    }

    private YamlException Refuse(string why) => new(_inner.Current!.Start, _inner.Current.End, $"The document is too large or deep: {why}.");
}
