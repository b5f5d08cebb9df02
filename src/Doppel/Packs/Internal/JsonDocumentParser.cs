using System.Text;
using System.Text.Json;

namespace Doppel.Packs.Internal;

/// <summary>
/// JSON to document nodes with System.Text.Json's reader (strict JSON, not YAML's reading of it), each node with its
/// line and column worked out from its byte offset.
/// </summary>
internal static class JsonDocumentParser
{
    public static DocumentMap Parse(string text)
    {
        var utf8 = Encoding.UTF8.GetBytes(text);
        var lines = LineStarts(utf8);
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 64 });
        try
        {
            reader.Read();
            var root = Node(ref reader, "", lines);
            if (reader.Read())
            {
                var (line, column) = Position(lines, reader.TokenStartIndex);
                throw new DocumentException(line, column, "", "the document goes on after its end");
            }
            return root as DocumentMap ?? throw root.Error("the document must be a JSON object at its top");
        }
        catch (JsonException e)
        {
            throw new DocumentException((int)(e.LineNumber ?? 0) + 1, (int)(e.BytePositionInLine ?? 0) + 1, "", JsonErrorText.Reason(e)) { IsSyntaxError = true };
        }
    }

    private static DocumentNode Node(ref Utf8JsonReader reader, string path, List<long> lines)
    {
        var (line, column) = Position(lines, reader.TokenStartIndex);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var entries = new List<KeyValuePair<DocumentScalar, DocumentNode>>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var (keyLine, keyColumn) = Position(lines, reader.TokenStartIndex);
                    var name = reader.GetString()!;
                    var childPath = path.Length == 0 ? name : $"{path}.{name}";
                    reader.Read();
                    entries.Add(KeyValuePair.Create(new DocumentScalar(childPath, keyLine, keyColumn, name, quoted: true), Node(ref reader, childPath, lines)));
                }
                return new DocumentMap(path, line, column, entries);
            case JsonTokenType.StartArray:
                var items = new List<DocumentNode>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    items.Add(Node(ref reader, $"{path}[{items.Count}]", lines));
                }
                return new DocumentList(path, line, column, items);
            case JsonTokenType.String:
                return new DocumentScalar(path, line, column, reader.GetString()!, quoted: true);
            case JsonTokenType.Number:
                return new DocumentScalar(path, line, column, Encoding.UTF8.GetString(reader.ValueSpan), quoted: false);
            case JsonTokenType.True or JsonTokenType.False:
                return new DocumentScalar(path, line, column, reader.GetBoolean() ? "true" : "false", quoted: false);
            default:
                return new DocumentScalar(path, line, column, "null", quoted: false);
        }
    }

    private static List<long> LineStarts(byte[] utf8)
    {
        var starts = new List<long> { 0 };
        for (var i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] == (byte)'\n')
            {
                starts.Add(i + 1);
            }
        }
        return starts;
    }

    private static (int Line, int Column) Position(List<long> lineStarts, long offset)
    {
        var index = lineStarts.BinarySearch(offset);
        var line = index >= 0 ? index : ~index - 1;
        return (line + 1, (int)(offset - lineStarts[line]) + 1);
    }
}
