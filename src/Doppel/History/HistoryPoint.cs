namespace Doppel.History;

/// <summary>What a history point records: a telemetry measurement or a property's new value.</summary>
public enum HistoryKind : byte
{
    Telemetry = 0,
    Property = 1,
}

/// <summary>
/// One timestamped value of one twin: a telemetry point or a property change. <see cref="Name"/> is the telemetry or
/// property name, prefixed by the component for a component's values (<c>thermostat1.temperature</c>).
/// </summary>
/// <param name="TwinId">The twin the value belongs to.</param>
/// <param name="Name">The telemetry or property name, with its component as a prefix when it has one.</param>
/// <param name="Time">When the value was measured: the device's source time, else the arrival time.</param>
/// <param name="Kind">Telemetry or property.</param>
/// <param name="Number">The value when it is a number (or a boolean, as 0 or 1); aggregates work on it.</param>
/// <param name="Json">The value as JSON text when it is not a number (strings, objects, arrays); null for numbers.</param>
/// <param name="MessageId">The device's message id, when it gave one; a repeated id is stored once.</param>
public readonly record struct HistoryPoint(string TwinId, string Name, DateTimeOffset Time, HistoryKind Kind, double? Number, string? Json, string? MessageId = null);
