using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Doppel.Events;
using Doppel.Server.Runtime;
using Doppel.Server.Security;
using Doppel.Server.Streams.Internal;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Doppel.Server.Streams;

/// <summary>
/// The SignalR hub at <c>/doppel/hubs/events</c>. <see cref="Stream"/> streams the same CloudEvent JSON objects as the
/// Server-Sent Events endpoint, after a first item <c>{"type":"doppel.stream.subscribed"}</c>; missed events arrive as one item
/// <c>{"type":"doppel.stream.dropped","dropped":N}</c> before the next event or once the buffer is drained.
/// </summary>
public sealed class EventHub(TwinRuntime runtime, IOptions<DoppelServerOptions> options, Policies policies) : Hub
{
    /// <summary>Streams events that pass the filter until the caller cancels; a bad filter fails with its message.</summary>
    public IAsyncEnumerable<JsonElement> Stream(StreamFilterRequest filter, CancellationToken cancellationToken)
    {
        // Checked before the stream starts: SignalR reports a failure here to the caller only, not as a server error.
        // The caller was authenticated when it connected; its rules are those of now.
        var subject = DoppelAuthentication.SubjectOf(Context.User!) ?? throw new HubException("Unauthorized: the connection carries no subject.");
        var subscribed = EventStreams.Subscribe(runtime, options.Value, filter ?? new StreamFilterRequest(), EventAccess.Filter(policies.RulesFor(subject), runtime.Graph));
        if (!subscribed.IsSuccess)
        {
            throw new HubException($"{subscribed.Error.Code}: {subscribed.Error.Message}");
        }
        return Items(subscribed.Value, cancellationToken);
    }

    private async IAsyncEnumerable<JsonElement> Items(EventSubscription subscription, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var _ = subscription;
        var buffer = new ArrayBufferWriter<byte>(1024);
        using var writer = new Utf8JsonWriter(buffer);
        // First item: the subscription exists, so a client can act knowing it will see what follows.
        yield return Item(EventStreams.SubscribedType, null);
        while (await subscription.Reader.WaitToReadAsync(cancellationToken))
        {
            while (subscription.Reader.TryRead(out var e))
            {
                if (subscription.TakeDropped() is var dropped and > 0)
                {
                    yield return Item(EventStreams.DroppedType, dropped);
                }
                EventStreams.WriteCloudEvent(buffer, writer, e, runtime.EventSource);
                var item = Parse(buffer);
                buffer.ResetWrittenCount();
                yield return item;
            }
            // Drained: announce drops now rather than with the next event, which may never come.
            if (subscription.TakeDropped() is var missed and > 0)
            {
                yield return Item(EventStreams.DroppedType, missed);
            }
        }
    }

    private static JsonElement Item(string type, long? dropped)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, type);
            if (dropped is { } n)
            {
                writer.WriteNumber("dropped"u8, n);
            }
            writer.WriteEndObject();
        }
        return Parse(buffer);
    }

    private static JsonElement Parse(ArrayBufferWriter<byte> buffer)
    {
        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }
}
