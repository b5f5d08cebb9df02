using System.Text.Json;

namespace Doppel.Ingest;

/// <summary>
/// A device message resolved to one twin: DTDL-named values (already mapped and converted), when they were measured,
/// and the id that makes a retry recognisable.
/// </summary>
/// <param name="TwinId">The twin the values belong to.</param>
/// <param name="Component">The component the values belong to, or null for the twin itself.</param>
/// <param name="Kind">Telemetry or reported properties.</param>
/// <param name="Values">A JSON object of DTDL names to values; it must stay alive while the message is processed.</param>
/// <param name="SourceTime">When the device measured them, or null to use the arrival time.</param>
/// <param name="MessageId">Identifies the message for de-duplication, or null.</param>
public sealed record IngestMessage(string TwinId, string? Component, IngestKind Kind, JsonElement Values, DateTimeOffset? SourceTime, string? MessageId)
{
    /// <summary>
    /// True when the id only identifies a possible redelivery (an MQTT DUP flag with no id of its own): it is recorded, and
    /// checked only when <see cref="IsRedelivery"/> is set.
    /// </summary>
    public bool IdIsDerived { get; init; }

    /// <summary>MQTT's DUP flag: the sender is not sure the first copy arrived.</summary>
    public bool IsRedelivery { get; init; }

    /// <summary>The units the payload's values are in, by DTDL name, when they differ from the model's (from a mapping).</summary>
    public IReadOnlyDictionary<string, string>? SourceUnits { get; init; }
}
