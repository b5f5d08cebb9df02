using System.Buffers;
using System.Text.Json;

namespace Doppel.Events;

/// <summary>Writes a <see cref="TwinEvent"/> as a CloudEvents 1.0 structured-mode JSON object, the form webhooks, MQTT topics and live streams carry.</summary>
public static class CloudEventJson
{
    public const string ContentType = "application/cloudevents+json";

    /// <param name="writer">Where the object goes.</param>
    /// <param name="e">The event.</param>
    /// <param name="source">The CloudEvents <c>source</c>: the instance's host, as ADT gives its host name.</param>
    public static void Write(Utf8JsonWriter writer, TwinEvent e, string source)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(e);
        writer.WriteStartObject();
        writer.WriteString("specversion"u8, "1.0");
        writer.WriteString("id"u8, e.Id);
        writer.WriteString("type"u8, e.Type);
        writer.WriteString("source"u8, source);
        writer.WriteString("subject"u8, e.Subject);
        writer.WriteString("time"u8, e.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture));
        writer.WriteString("datacontenttype"u8, "application/json");
        writer.WriteString("dataschema"u8, e.ModelId);
        writer.WritePropertyName("data"u8);
        writer.WriteRawValue(e.Data.Span, skipInputValidation: true);
        writer.WriteEndObject();
    }

    /// <summary>The event as compact UTF-8 JSON.</summary>
    public static byte[] ToUtf8(TwinEvent e, string source)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + e.Data.Length);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, e, source);
        }
        return buffer.WrittenSpan.ToArray();
    }
}
