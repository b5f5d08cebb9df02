using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Doppel.Server.Runtime;
using Doppel.Server.Streams.Internal;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Doppel.Server.Streams;

/// <summary>
/// The SignalR hub at <c>/doppel/hubs/events</c>. <see cref="Stream"/> streams the same CloudEvent JSON objects as the
/// Server-Sent Events endpoint; missed events arrive as one item <c>{"type":"doppel.stream.dropped","dropped":N}</c> before the next event.
/// </summary>
public sealed class EventHub(TwinRuntime runtime, IOptions<DoppelServerOptions> options) : Hub
{
    /// <summary>Streams events that pass the filter until the caller cancels; a bad filter fails with its message.</summary>
    public async IAsyncEnumerable<JsonElement> Stream(StreamFilterRequest filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var subscribed = EventStreams.Subscribe(runtime, options.Value, filter ?? new StreamFilterRequest());
        if (!subscribed.IsSuccess)
        {
            throw new HubException($"{subscribed.Error.Code}: {subscribed.Error.Message}");
        }
        using var subscription = subscribed.Value;
        var buffer = new ArrayBufferWriter<byte>(1024);
        using var writer = new Utf8JsonWriter(buffer);
        while (await subscription.Reader.WaitToReadAsync(cancellationToken))
        {
            while (subscription.Reader.TryRead(out var e))
            {
                if (subscription.TakeDropped() is var dropped and > 0)
                {
                    yield return DroppedItem(dropped);
                }
                EventStreams.WriteCloudEvent(buffer, writer, e, runtime.EventSource);
                using var document = JsonDocument.Parse(buffer.WrittenMemory);
                buffer.ResetWrittenCount();
                yield return document.RootElement.Clone();
            }
        }
    }

    private static JsonElement DroppedItem(long dropped)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, EventStreams.DroppedType);
            writer.WriteNumber("dropped"u8, dropped);
            writer.WriteEndObject();
        }
        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }
}
