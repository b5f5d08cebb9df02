namespace Doppel.Query.Internal;

internal static class SourceText
{
    /// <summary>1-based line and column (in UTF-16 code units) of an offset; "\r\n", "\n" and "\r" end lines.</summary>
    public static (int Line, int Column) Position(string text, int offset)
    {
        int line = 1, lineStart = 0;
        for (var i = 0; i < offset && i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n' || (c == '\r' && (i + 1 >= text.Length || text[i + 1] != '\n')))
            {
                line++;
                lineStart = i + 1;
            }
        }
        return (line, offset - lineStart + 1);
    }
}
