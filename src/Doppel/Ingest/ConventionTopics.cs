namespace Doppel.Ingest;

/// <summary>
/// The topics that work without any mapping: <c>doppel/twins/{twinId}/telemetry</c> and <c>.../properties</c>, and
/// <c>doppel/twins/{twinId}/components/{component}/telemetry</c> (or <c>/properties</c>), carrying DTDL-shaped JSON.
/// </summary>
public static class ConventionTopics
{
    public const string Prefix = "doppel/twins/";

    /// <summary>Subscribes to every convention topic.</summary>
    public const string Filter = "doppel/twins/#";

    public static string Telemetry(string twinId, string? component = null) =>
        component is null ? $"{Prefix}{twinId}/telemetry" : $"{Prefix}{twinId}/components/{component}/telemetry";

    public static string Properties(string twinId, string? component = null) =>
        component is null ? $"{Prefix}{twinId}/properties" : $"{Prefix}{twinId}/components/{component}/properties";

    /// <summary>Whether the topic is under the convention's prefix (and so must be ingested or dead-lettered, never passed over).</summary>
    public static bool IsConvention(string topic) => topic.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>Reads a convention topic; false when it is under the prefix but not one of the shapes.</summary>
    public static bool TryParse(string topic, out string twinId, out string? component, out IngestKind kind)
    {
        twinId = "";
        component = null;
        kind = IngestKind.Telemetry;
        if (!IsConvention(topic))
        {
            return false;
        }
        var rest = topic.AsSpan(Prefix.Length);
        var slash = rest.IndexOf('/');
        if (slash <= 0)
        {
            return false;
        }
        var id = rest[..slash];
        var tail = rest[(slash + 1)..];
        if (tail.StartsWith("components/"))
        {
            var afterComponents = tail["components/".Length..];
            var end = afterComponents.IndexOf('/');
            if (end <= 0)
            {
                return false;
            }
            component = afterComponents[..end].ToString();
            tail = afterComponents[(end + 1)..];
        }
        if (tail.SequenceEqual("telemetry"))
        {
            kind = IngestKind.Telemetry;
        }
        else if (tail.SequenceEqual("properties"))
        {
            kind = IngestKind.Properties;
        }
        else
        {
            return false;
        }
        twinId = id.ToString();
        return true;
    }
}
