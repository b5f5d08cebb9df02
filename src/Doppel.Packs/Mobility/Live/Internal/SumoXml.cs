using System.Globalization;
using System.IO.Compression;
using System.Xml;

namespace Doppel.Packs.Mobility.Live.Internal;

/// <summary>Reading SUMO's output files: plain or gzip XML, elements of one name, numbers in SUMO's invariant spelling.</summary>
internal static class SumoXml
{
    /// <summary>
    /// Calls <paramref name="read"/> for every element named in <paramref name="elements"/> (with its reader and "file, line N"),
    /// stopping at the first problem it returns; returns that problem, or one about the XML itself, or null.
    /// </summary>
    public static string? ReadElements(Stream stream, string name, IReadOnlyList<string> elements, Func<XmlReader, string, string?> read)
    {
        var seekable = stream.CanSeek ? stream : Copy(stream);
        using var gzip = IsGzip(seekable) ? new GZipStream(seekable, CompressionMode.Decompress, leaveOpen: true) : null;
        using var xml = XmlReader.Create(gzip ?? seekable, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, IgnoreComments = true, CloseInput = false });
        var info = (IXmlLineInfo)xml;
        try
        {
            while (xml.Read())
            {
                if (xml.NodeType == XmlNodeType.Element && elements.Contains(xml.LocalName)
                    && read(xml, string.Create(CultureInfo.InvariantCulture, $"{name}, line {info.LineNumber}")) is { } problem)
                {
                    return problem;
                }
            }
            return null;
        }
        catch (XmlException e)
        {
            return $"{name}: not well-formed XML at line {e.LineNumber}, column {e.LinePosition}: {e.Message}";
        }
        catch (InvalidDataException e)
        {
            return $"{name}: not a valid gzip file: {e.Message}";
        }
    }

    /// <summary>Reads a required number attribute.</summary>
    public static bool TryNumber(XmlReader element, string attribute, out double value, out string problem)
    {
        var text = element.GetAttribute(attribute);
        if (text is null)
        {
            (value, problem) = (0, $"'{element.LocalName}' has no '{attribute}'");
            return false;
        }
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) || !double.IsFinite(value))
        {
            problem = $"'{attribute}' is '{text}', not a number";
            return false;
        }
        problem = "";
        return true;
    }

    /// <summary>Whether the stream starts with gzip's magic bytes (it is left where it was).</summary>
    private static bool IsGzip(Stream stream)
    {
        var start = stream.Position;
        Span<byte> magic = stackalloc byte[2];
        var read = stream.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        stream.Position = start;
        return read == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }

    private static MemoryStream Copy(Stream stream)
    {
        var copy = new MemoryStream();
        stream.CopyTo(copy);
        copy.Position = 0;
        return copy;
    }
}
