using System.Diagnostics.Metrics;
using Doppel.Server.Runtime;

namespace Doppel.Server.Observability;

/// <summary>The instruments of the <c>Doppel</c> meter, exported to Prometheus at <c>/metrics</c>.</summary>
public sealed class DoppelMetrics : IDisposable
{
    public const string MeterName = "Doppel";

    private readonly Meter _meter;

    public DoppelMetrics(IMeterFactory meters, TwinRuntime runtime)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(runtime);
        _meter = meters.Create(MeterName);
        Messages = _meter.CreateCounter<long>("doppel.ingest.messages", "{message}", "Device messages by source (mqtt, bridge, http) and outcome (stored, duplicate, dead_letter).");
        Points = _meter.CreateCounter<long>("doppel.ingest.points", "{point}", "Telemetry and property points stored in history.");
        Denied = _meter.CreateCounter<long>("doppel.auth.denied", "{request}", "Requests and messages refused by access rules, by resource.");
        DeadLetters = _meter.CreateCounter<long>("doppel.ingest.dead_letters", "{message}", "Messages dead-lettered, by reason.");
        Latency = _meter.CreateHistogram<double>("doppel.ingest.duration", "ms", "From a message's arrival to its acknowledgement (durable).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.25, 0.5, 1, 2, 5, 10, 25, 50, 100, 250, 1000] });
        Throttled = _meter.CreateCounter<long>("doppel.http.throttled", "{request}", "Requests refused with 429 because their subject was over its budget, by budget (requests, queries).");
        _meter.CreateObservableGauge("doppel.history.queue", () => (long)runtime.HistoryQueueDepth, "{append}", "Appends waiting for the history writer.");
        _meter.CreateObservableCounter("doppel.events.dropped", () => runtime.Events.TotalDropped, "{event}", "Events dropped because a subscriber's buffer was full.");
        AlertsRaised = _meter.CreateCounter<long>("doppel.alerts.raised", "{alert}", "Alerts raised (or reopened) by rules, by severity.");
        AlertsAcknowledged = _meter.CreateCounter<long>("doppel.alerts.acknowledged", "{alert}", "Alerts acknowledged, by severity.");
        AlertsResolved = _meter.CreateCounter<long>("doppel.alerts.resolved", "{alert}", "Alerts resolved (cleared or by hand), by severity.");
        RuleEvaluation = _meter.CreateHistogram<double>("doppel.rules.evaluation.duration", "ms", "Time spent evaluating the rules one change of a twin concerns.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 50] });
        _meter.CreateObservableGauge("doppel.alerts.open", () => (long)(runtime.Rules?.OpenAlerts ?? 0), "{alert}", "Alerts raised or acknowledged, not resolved.");
        _meter.CreateObservableGauge("doppel.twins", () => (long)runtime.Graph.TwinCount, "{twin}", "Twins in the graph.");
    }

    public Counter<long> Messages { get; }

    public Counter<long> Points { get; }

    public Counter<long> DeadLetters { get; }

    /// <summary>Operations refused by access rules (403s and refused MQTT publishes), by resource.</summary>
    public Counter<long> Denied { get; }

    public Histogram<double> Latency { get; }

    public Counter<long> Throttled { get; }

    public Counter<long> AlertsRaised { get; }

    public Counter<long> AlertsAcknowledged { get; }

    public Counter<long> AlertsResolved { get; }

    public Histogram<double> RuleEvaluation { get; }

    public void Dispose() => _meter.Dispose();
}
