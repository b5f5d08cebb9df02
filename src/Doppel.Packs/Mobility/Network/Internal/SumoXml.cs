using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace Doppel.Packs.Mobility.Network.Internal;

/// <summary>A SUMO file that does not say what it must: where (file, line) and what is wrong.</summary>
internal sealed class SumoFormatException(string message) : Exception(message);

/// <summary>Reading SUMO's XML: attributes parsed with the file and line in every error.</summary>
internal static class SumoXml
{
    /// <summary>Loads a document with line numbers; DTDs are refused (SUMO's files have none).</summary>
    public static XDocument Load(Stream xml, string name)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, IgnoreComments = true, XmlResolver = null };
        try
        {
            using var reader = XmlReader.Create(xml, settings);
            return XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException e)
        {
            throw new SumoFormatException($"{name}:{e.LineNumber}: malformed XML: {e.Message}");
        }
    }

    public static Result<T> Catch<T>(Func<T> read)
    {
        try
        {
            return Result<T>.Ok(read());
        }
        catch (SumoFormatException e)
        {
            return Result<T>.Fail("InvalidArgument", e.Message);
        }
    }

    public static Result<T> ReadFile<T>(string path, Func<Stream, string, Result<T>> read)
    {
        Stream stream;
        try
        {
            stream = File.OpenRead(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return Result<T>.Fail("InvalidArgument", $"{path}: cannot be read: {e.Message}");
        }
        using (stream)
        {
            return read(stream, path);
        }
    }

    public static int Line(XObject node) => node is IXmlLineInfo info && info.HasLineInfo() ? info.LineNumber : 0;

    public static SumoFormatException Error(string file, XObject node, string what) => new($"{file}:{Line(node)}: {what}");

    public static string? Optional(XElement element, string attribute) => element.Attribute(attribute)?.Value;

    public static string Required(string file, XElement element, string attribute) =>
        element.Attribute(attribute)?.Value is { } value
            ? value
            : throw Error(file, element, $"<{element.Name.LocalName}> has no '{attribute}' attribute.");

    public static double RequiredDouble(string file, XElement element, string attribute) =>
        ParseDouble(file, element, attribute, Required(file, element, attribute));

    public static double? OptionalDouble(string file, XElement element, string attribute) =>
        Optional(element, attribute) is { } text ? ParseDouble(file, element, attribute, text) : null;

    public static double Double(string file, XElement element, string attribute, double otherwise) =>
        OptionalDouble(file, element, attribute) ?? otherwise;

    public static int Int(string file, XElement element, string attribute, int otherwise)
    {
        var text = Optional(element, attribute);
        if (text is null)
        {
            return otherwise;
        }
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Error(file, element, $"'{attribute}' of <{element.Name.LocalName}> is '{text}', not an integer.");
    }

    public static double ParseDouble(string file, XElement element, string attribute, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw Error(file, element, $"'{attribute}' of <{element.Name.LocalName}> is '{text}', not a number.");

    public static bool Bool(string file, XElement element, string attribute, bool otherwise) =>
        Optional(element, attribute) switch
        {
            null => otherwise,
            "1" or "true" or "True" or "yes" or "x" or "on" => true,
            "0" or "false" or "False" or "no" or "off" or "-" => false,
            var text => throw Error(file, element, $"'{attribute}' of <{element.Name.LocalName}> is '{text}', not a boolean."),
        };

    public static string[] List(string? text) =>
        string.IsNullOrWhiteSpace(text) ? [] : text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    /// <summary>A shape "x,y x,y ..." (a third coordinate, z, is dropped).</summary>
    public static IReadOnlyList<Point2> Shape(string file, XElement element, string attribute)
    {
        var text = Optional(element, attribute);
        var points = new List<Point2>();
        foreach (var pair in List(text))
        {
            points.Add(Point(file, element, attribute, pair));
        }
        return points;
    }

    public static Point2 Point(string file, XElement element, string attribute, string pair)
    {
        var parts = pair.Split(',');
        if (parts.Length is < 2 or > 3
            || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var x)
            || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var y))
        {
            throw Error(file, element, $"'{attribute}' of <{element.Name.LocalName}> has '{pair}', not a point 'x,y'.");
        }
        return new Point2(x, y);
    }
}
