namespace Doppel.Packs;

/// <summary>A twin whose telemetry the host's device simulator publishes: numeric telemetry names (e.g. <c>temperature</c>).</summary>
public sealed record SimulatedDevice(string TwinId, IReadOnlyList<string> Telemetry);
