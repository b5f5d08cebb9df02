using Doppel.Events;

namespace Doppel.Server.Routing.Internal;

/// <summary>One event to deliver for one route.</summary>
internal sealed record Delivery(TwinEvent Event, string RouteId, string Source)
{
    private byte[]? _payload;

    /// <summary>The CloudEvent in structured mode, serialised once however many attempts it takes.</summary>
    public byte[] Payload => _payload ??= CloudEventJson.ToUtf8(Event, Source);
}

/// <summary>The outcome of one attempt.</summary>
internal enum AttemptOutcome : byte
{
    Delivered,
    RetryLater,
    Rejected,
}

internal readonly record struct AttemptResult(AttemptOutcome Outcome, string? Error = null)
{
    public static readonly AttemptResult Delivered = new(AttemptOutcome.Delivered);
}
