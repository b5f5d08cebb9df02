namespace Doppel.Ingest;

/// <summary>A message that could not be ingested, kept with the reason so that it can be inspected and replayed.</summary>
/// <param name="Time">When it arrived.</param>
/// <param name="Source">How it came: <c>mqtt</c>, <c>bridge</c> or <c>http</c>.</param>
/// <param name="Topic">The MQTT topic, or the HTTP path.</param>
/// <param name="ClientId">The MQTT client id, when known.</param>
/// <param name="TwinId">The twin it was meant for, when that much was resolved.</param>
/// <param name="Reason">One of <see cref="DeadLetterReason"/>.</param>
/// <param name="Message">Where and why, in words.</param>
/// <param name="Payload">The payload as text (cut at <see cref="MaxPayloadChars"/>).</param>
public sealed record DeadLetter(DateTimeOffset Time, string Source, string Topic, string? ClientId, string? TwinId, string Reason, string Message, string Payload)
{
    public const int MaxPayloadChars = 64 * 1024;

    /// <summary>Cuts a payload to what a dead letter keeps, decoding invalid UTF-8 as replacement characters.</summary>
    public static string PayloadText(ReadOnlySpan<byte> payload)
    {
        var text = System.Text.Encoding.UTF8.GetString(payload.Length > MaxPayloadChars * 4 ? payload[..(MaxPayloadChars * 4)] : payload);
        return text.Length > MaxPayloadChars ? text[..MaxPayloadChars] : text;
    }
}
