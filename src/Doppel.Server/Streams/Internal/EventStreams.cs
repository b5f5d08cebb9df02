using System.Buffers;
using System.Text.Json;
using Doppel.Events;
using Doppel.Server.Runtime;

namespace Doppel.Server.Streams.Internal;

/// <summary>What the SSE endpoint and the SignalR hub share: checking a filter, subscribing, and one-line CloudEvent JSON.</summary>
internal static class EventStreams
{
    /// <summary>The CloudEvents type of the item that tells a subscriber how many events it missed.</summary>
    public const string DroppedType = "doppel.stream.dropped";

    /// <summary>The type of a SignalR stream's first item: the subscription is in place.</summary>
    public const string SubscribedType = "doppel.stream.subscribed";

    /// <summary>Subscribes with the filter, or says what is wrong with it (an ADT error).</summary>
    /// <param name="runtime">The twins and their event hub.</param>
    /// <param name="options">Stream limits.</param>
    /// <param name="request">The subscriber's filter.</param>
    /// <param name="visible">The events the subscriber may receive (<see cref="Security.EventAccess"/>); null for all.</param>
    public static Result<EventSubscription> Subscribe(TwinRuntime runtime, DoppelServerOptions options, StreamFilterRequest request, Func<TwinEvent, bool>? visible)
    {
        var capacity = request.Capacity ?? options.StreamCapacity;
        if (capacity < 1 || capacity > options.StreamCapacity)
        {
            return Result<EventSubscription>.Fail("InvalidArgument", $"'capacity' must be between 1 and {options.StreamCapacity}, got {capacity}.");
        }
        var filter = TwinEventFilter.Create(runtime.Graph, runtime.Models, request.TwinIds, request.Model, request.Types, request.Where);
        if (!filter.IsSuccess)
        {
            return filter.Error;
        }
        var matches = filter.Value;
        return Result<EventSubscription>.Ok(runtime.Events.Subscribe(visible is null ? matches.Matches : e => matches.Matches(e) && visible(e), capacity));
    }

    /// <summary>
    /// Writes the event's CloudEvent JSON on one line. Bodies are stored as received (telemetry may be indented), so a body
    /// with a line break is written again compactly: a line break would end an SSE data field.
    /// </summary>
    public static void WriteCloudEvent(ArrayBufferWriter<byte> buffer, Utf8JsonWriter writer, TwinEvent e, string source)
    {
        writer.Reset(buffer);
        CloudEventJson.Write(writer, e, source);
        writer.Flush();
        if (buffer.WrittenSpan.IndexOfAny((byte)'\n', (byte)'\r') < 0)
        {
            return;
        }
        using var document = JsonDocument.Parse(buffer.WrittenSpan.ToArray()); // a copy: the buffer is rewritten below
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        document.RootElement.WriteTo(writer);
        writer.Flush();
    }
}
