using Doppel.History;
using Doppel.Twins;

namespace Doppel.Packs;

/// <summary>
/// A pack's live logic on twins of some models (an estimator keeping a patient twin in step with its sensor, for
/// instance): the server tells it of their durable telemetry and runs its own loop with a <see cref="FollowerContext"/>,
/// through which it reads history and writes back to twins and alerts. One instance serves one server, from
/// <see cref="TwinFollower.Create"/>.
/// </summary>
public interface ITwinFollower
{
    /// <summary>
    /// Telemetry points of a followed twin are durable, live and seen by the rules. Called on the ingest path: it must
    /// return at once (queue the work for <see cref="RunAsync"/>); a fault here is logged and counted and leaves the
    /// reading stored.
    /// </summary>
    void OnTelemetry(TwinDocument twin, IReadOnlyList<HistoryPoint> points);

    /// <summary>The follower's own loop, started with the server and cancelled when it stops.</summary>
    Task RunAsync(FollowerContext context, CancellationToken ct);
}
