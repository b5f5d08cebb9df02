using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Doppel.Packs.Internal;

/// <summary>YAML to document nodes, with each node's line and path.</summary>
internal static class YamlDocumentParser
{
    public static DocumentMap Parse(string text)
    {
        YamlStream stream;
        try
        {
            stream = BoundedYamlParser.Load(text);
        }
        catch (YamlException e)
        {
            // YamlDotNet's message repeats the position; keep its reason.
            var reason = e.InnerException?.Message ?? e.Message;
            throw new DocumentException((int)e.Start.Line, (int)e.Start.Column, "", Clean(reason)) { IsSyntaxError = true };
        }
        if (stream.Documents.Count != 1)
        {
            throw new DocumentException(1, 1, "", stream.Documents.Count == 0 ? "the document is empty" : "give one document, not several");
        }
        var root = Convert(stream.Documents[0].RootNode, "");
        return root as DocumentMap ?? throw root.Error("the document must be a mapping of keys to values at its top");
    }

    private static DocumentNode Convert(YamlNode node, string path)
    {
        var (line, column) = ((int)node.Start.Line, (int)node.Start.Column);
        switch (node)
        {
            case YamlScalarNode scalar:
                return new DocumentScalar(path, line, column, scalar.Value ?? "", scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted);
            case YamlSequenceNode sequence:
                return new DocumentList(path, line, column, [.. sequence.Children.Select((item, i) => Convert(item, $"{path}[{i}]"))]);
            case YamlMappingNode mapping:
                var entries = new List<KeyValuePair<DocumentScalar, DocumentNode>>(mapping.Children.Count);
                foreach (var (key, value) in mapping.Children)
                {
                    if (key is not YamlScalarNode { Value: { } name })
                    {
                        throw new DocumentException((int)key.Start.Line, (int)key.Start.Column, path, "keys must be texts");
                    }
                    var childPath = path.Length == 0 ? name : $"{path}.{name}";
                    entries.Add(KeyValuePair.Create(new DocumentScalar(childPath, (int)key.Start.Line, (int)key.Start.Column, name, quoted: true), Convert(value, childPath)));
                }
                return new DocumentMap(path, line, column, entries);
            default:
                throw new DocumentException(line, column, path, "an alias or tag this reader does not take");
        }
    }

    private static string Clean(string message) => message.TrimEnd('.');
}
