using Doppel.History;
using Doppel.Twins;

namespace Doppel.Server.Runtime;

/// <summary>
/// Something that follows twins' telemetry as it arrives (live predictors, anomaly detectors), told once a twin's
/// points are durable, live and seen by the rules. It is called on the ingest path: it must return at once (queue the
/// work), and a fault in it is logged and leaves the reading stored.
/// </summary>
public interface ITelemetryWatcher
{
    /// <summary>A short name for logs.</summary>
    string Name { get; }

    void OnTelemetry(TwinDocument twin, IReadOnlyList<HistoryPoint> points);
}
