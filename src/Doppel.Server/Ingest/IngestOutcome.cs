namespace Doppel.Server.Ingest;

/// <summary>What became of one device message.</summary>
public enum IngestOutcome
{
    /// <summary>Durable in history (and applied to state where newer).</summary>
    Stored,

    /// <summary>A retry of a message already stored: acknowledged, not stored again.</summary>
    Duplicate,

    /// <summary>Refused and durable in the dead-letter store, with the reason.</summary>
    DeadLettered,

    /// <summary>Refused because the sender may not write it (access rules); kept in the dead-letter store as evidence.</summary>
    Denied,

    /// <summary>Not for Doppel (no mapping, not a convention topic): the broker just routes it.</summary>
    NotIngested,
}
