namespace Doppel.Cli.Devices;

/// <summary>A twin the simulator publishes for, and the numeric telemetry it sends.</summary>
internal sealed record SimulatedTwin(string Id, IReadOnlyList<SimulatedTelemetry> Telemetry);

/// <summary>One numeric telemetry; integral ones (DTDL integer, long) are sent rounded, or the server would refuse them.</summary>
internal sealed record SimulatedTelemetry(string Name, bool IsIntegral);
