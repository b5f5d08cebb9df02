using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.Events;
using Doppel.History;
using Doppel.Modeling;
using Doppel.Packs;
using Doppel.Rules;
using Doppel.Twins;

namespace Doppel.Server.Runtime.Internal;

/// <summary>A follower's view of the server: reads from memory and history, writes through grains and the history store as ingest does.</summary>
internal sealed class ServerFollowerContext(TwinRuntime runtime, IGrainFactory grains, string pack, string follower, ILogger log) : FollowerContext
{
    public override TwinGraph Graph => runtime.Graph;

    public override TimeProvider Time => runtime.Time;

    public override ILogger Log => log;

    public override bool IsOfModel(TwinDocument twin, string modelId)
    {
        ArgumentNullException.ThrowIfNull(twin);
        return runtime.Models.SelfAndDescendants(new Dtmi(modelId)).Contains(twin.Model);
    }

    public override async Task<IReadOnlyList<HistoryPoint>> ReadHistoryAsync(string twinId, IReadOnlyList<string> names, DateTimeOffset from, DateTimeOffset through, int limit, CancellationToken ct)
    {
        // History keeps microseconds and reads up to an exclusive end.
        var to = through.AddTicks(TimeSpan.TicksPerMicrosecond);
        var points = new List<HistoryPoint>();
        HistoryCursor? after = null;
        do
        {
            var page = await runtime.History.ReadAsync(new HistoryRead([twinId], names, from, to, Math.Clamp(limit - points.Count, 1, 10_000), after), ct);
            points.AddRange(page.Points);
            after = page.Next;
        }
        while (after is not null && points.Count < limit);
        return points;
    }

    public override async Task<Result<bool>> ReportPropertiesAsync(string twinId, JsonObject values, DateTimeOffset time, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(values);
        var written = await grains.GetGrain<ITwinGrain>(twinId).ReportProperties(null, values.ToJsonString(), time, null, false).WaitAsync(ct);
        return written.Error is { } error ? Result<bool>.Fail(error) : Result<bool>.Ok(true);
    }

    public override async Task<Result<bool>> WriteTelemetryAsync(string twinId, JsonObject values, DateTimeOffset time, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (!runtime.Graph.TryGetTwin(twinId, out var twin))
        {
            return Result<bool>.Fail("DigitalTwinNotFound", $"There is no digital twin with id '{twinId}'.");
        }
        var payload = Encoding.UTF8.GetBytes(values.ToJsonString());
        using var document = JsonDocument.Parse(payload);
        var valid = runtime.Operations.ValidateTelemetry(twin, null, document.RootElement);
        if (!valid.IsSuccess)
        {
            return Result<bool>.Fail(valid.Error);
        }
        var points = HistoryPoints.Telemetry(twinId, null, document.RootElement, time, null);
        await runtime.History.AppendAsync(points, DuplicateCheck.Skip, ct);
        runtime.Live.Apply(points);
        // Not back to the watchers: a follower writing telemetry must not hear of it again.
        runtime.Rules?.OnTelemetry(twin, points);
        if (runtime.Events.HasSubscribers)
        {
            runtime.Events.Publish(TwinEvents.Telemetry(twinId, twin.Model.Value, null, payload, time, null));
        }
        return Result<bool>.Ok(true);
    }

    public override bool RaiseAlert(string alert, TwinDocument twin, AlertSeverity severity, string message, JsonNode? value) =>
        runtime.Rules?.RaiseExternal(Source(alert), twin, severity, message, value) ?? false;

    public override void ResolveAlert(string alert, string? twinId, string note) => runtime.Rules?.ResolveExternal(Source(alert), twinId, note);

    public override bool HasAlert(string alert, string twinId) => runtime.Rules?.HasExternal(Source(alert), twinId) ?? false;

    /// <summary>The alert's rule id: external (it has a ':'), and naming its pack, follower and alert.</summary>
    private string Source(string alert)
    {
        if (string.IsNullOrEmpty(alert) || !alert.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
        {
            throw new ArgumentException($"An alert of a follower is named in lower case letters, digits and dashes; '{alert}' is not.", nameof(alert));
        }
        return $"follower:{pack}/{follower}/{alert}";
    }
}
