using MQTTnet.Protocol;

namespace Doppel.Cli.Devices;

/// <summary>What <see cref="DeviceSimulator"/> publishes, where, and how fast.</summary>
/// <param name="Broker">The broker, <c>mqtt://host:port</c>.</param>
/// <param name="Twins">The twins and their numeric telemetry.</param>
/// <param name="Rate">Messages per second over all twins; 0 for as fast as the broker acknowledges.</param>
/// <param name="Duration">Stop after this long; null for no limit.</param>
/// <param name="Count">Stop after this many messages; null for no limit.</param>
/// <param name="Qos">At most once, or at least once (acknowledged).</param>
/// <param name="Clients">MQTT connections; each owns a share of the twins.</param>
/// <param name="InFlight">Unacknowledged publishes allowed per connection.</param>
/// <param name="Seed">Seeds every signal, so a run's values repeat with the same seed.</param>
internal sealed record DeviceSimulatorOptions(
    Uri Broker,
    IReadOnlyList<SimulatedTwin> Twins,
    double Rate,
    TimeSpan? Duration,
    long? Count,
    MqttQualityOfServiceLevel Qos,
    int Clients,
    int InFlight,
    int Seed);
