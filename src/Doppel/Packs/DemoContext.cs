using Doppel.Twins;

namespace Doppel.Packs;

/// <summary>
/// What a host gives a demo: its server, the twin graph, a clock and a seed, and links to devices over the host's
/// messaging (so that packs carry no MQTT client), including a generic device simulator for plain telemetry.
/// </summary>
public abstract class DemoContext
{
    /// <summary>The server's HTTP address.</summary>
    public abstract Uri Server { get; }

    /// <summary>The live twins (read only).</summary>
    public abstract TwinGraph Graph { get; }

    /// <summary>The clock the demo paces itself by.</summary>
    public abstract TimeProvider Time { get; }

    /// <summary>Seeds the demo's randomness (a different one each run unless the user fixes it).</summary>
    public abstract ulong Seed { get; }

    /// <summary>Model time units per real second the user asked for (<c>--speed</c>).</summary>
    public abstract double Speed { get; }

    /// <summary>Messages per second over all simulated devices the user asked for (<c>--rate</c>).</summary>
    public abstract double Rate { get; }

    /// <summary>Opens a link that publishes device messages to twins, as one device or controller (<paramref name="name"/> identifies it).</summary>
    public abstract Task<IDeviceLink> ConnectAsync(string name, CancellationToken ct);

    /// <summary>Publishes realistic random telemetry for the twins at <see cref="Rate"/> until cancelled (the host's device simulator).</summary>
    public abstract Task SimulateDevicesAsync(IReadOnlyList<SimulatedDevice> devices, CancellationToken ct);
}
