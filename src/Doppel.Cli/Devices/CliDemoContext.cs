using Doppel.Packs;
using Doppel.Twins;
using MQTTnet.Protocol;

namespace Doppel.Cli.Devices;

/// <summary>What <c>doppel demo</c> gives a pack's demo: the server it started, its broker for device links, and the generic device simulator.</summary>
internal sealed class CliDemoContext(Uri server, Uri broker, TwinGraph graph, TimeProvider time, ulong seed, double speed, double rate) : DemoContext
{
    private readonly string _runId = Guid.NewGuid().ToString("N")[..8];

    public override Uri Server => server;

    public override TwinGraph Graph => graph;

    public override TimeProvider Time => time;

    public override ulong Seed => seed;

    public override double Speed => speed;

    public override double Rate => rate;

    public override async Task<IDeviceLink> ConnectAsync(string name, CancellationToken ct) =>
        await MqttDeviceLink.ConnectAsync(broker, $"{name}-{_runId}", ct);

    public override Task SimulateDevicesAsync(IReadOnlyList<SimulatedDevice> devices, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(devices);
        var twins = devices.Select(d => new SimulatedTwin(d.TwinId, [.. d.Telemetry.Select(t => new SimulatedTelemetry(t, false))])).ToList();
        return new DeviceSimulator(new DeviceSimulatorOptions(broker, twins, rate, null, null, MqttQualityOfServiceLevel.AtLeastOnce, 1, 8, (int)(seed % int.MaxValue)), time).RunAsync(ct);
    }
}
