namespace Doppel.Packs;

/// <summary>What a device message carries.</summary>
public enum DeviceMessageKind
{
    /// <summary>Measurements (history and live values, not the twin document).</summary>
    Telemetry,

    /// <summary>Reported properties (the twin document, and history).</summary>
    Properties,
}
