using System.Text.Json.Nodes;
using Doppel.History;
using Doppel.Rules;
using Doppel.Twins;
using Microsoft.Extensions.Logging;

namespace Doppel.Packs;

/// <summary>
/// What a server gives a <see cref="ITwinFollower"/>: the live twin graph, the clock, history reads, and writes that go
/// the way a device's do (reported properties through the twin's grain, telemetry into history and the rules), so that
/// what a follower writes lands in history and fires rules; alerts raised and resolved beside the rules' (as the
/// anomaly detectors' are); and a logger. A write refused (no such twin, a value its model does not allow) comes back
/// as an error.
/// </summary>
public abstract class FollowerContext
{
    /// <summary>The live twins (read only).</summary>
    public abstract TwinGraph Graph { get; }

    /// <summary>The server's clock.</summary>
    public abstract TimeProvider Time { get; }

    /// <summary>Where the follower logs (category <c>Doppel.Packs.{pack}.{follower}</c>).</summary>
    public abstract ILogger Log { get; }

    /// <summary>Whether the twin's model is <paramref name="modelId"/> or extends it.</summary>
    public abstract bool IsOfModel(TwinDocument twin, string modelId);

    /// <summary>The points of a twin's named values from <paramref name="from"/> through <paramref name="through"/> (both included), oldest first, at most <paramref name="limit"/>.</summary>
    public abstract Task<IReadOnlyList<HistoryPoint>> ReadHistoryAsync(string twinId, IReadOnlyList<string> names, DateTimeOffset from, DateTimeOffset through, int limit, CancellationToken ct);

    /// <summary>Reports properties of a twin measured at <paramref name="time"/>, through its grain (validated, stored, in history, rules).</summary>
    public abstract Task<Result<bool>> ReportPropertiesAsync(string twinId, JsonObject values, DateTimeOffset time, CancellationToken ct);

    /// <summary>Writes telemetry of a twin measured at <paramref name="time"/>: validated against its model, into history, live values and the rules (not back to followers).</summary>
    public abstract Task<Result<bool>> WriteTelemetryAsync(string twinId, JsonObject values, DateTimeOffset time, CancellationToken ct);

    /// <summary>Raises the follower's alert <paramref name="alert"/> on a twin unless it is open there already; true when raised.</summary>
    public abstract bool RaiseAlert(string alert, TwinDocument twin, AlertSeverity severity, string message, JsonNode? value);

    /// <summary>Resolves the follower's alert <paramref name="alert"/> on a twin (on every twin when <paramref name="twinId"/> is null), as cleared.</summary>
    public abstract void ResolveAlert(string alert, string? twinId, string note);

    /// <summary>Whether the follower's alert <paramref name="alert"/> is open on the twin.</summary>
    public abstract bool HasAlert(string alert, string twinId);
}
