namespace Doppel.Ingest;

/// <summary>What a device message carries: telemetry (history and live values only) or reported properties (the twin's state).</summary>
public enum IngestKind : byte
{
    Telemetry,
    Properties,
}
