using MQTTnet.Protocol;

namespace Doppel.Cli.Bench;

/// <summary>An MQTT publish load: connections, in-flight window, timing and (optionally) a paced total rate.</summary>
/// <param name="Broker">The broker, <c>mqtt://host:port</c>.</param>
/// <param name="Twins">Messages go round-robin to the convention telemetry topics of twins <c>{TwinPrefix}0..Twins-1</c>.</param>
/// <param name="TwinPrefix">The twins' id prefix.</param>
/// <param name="Clients">MQTT connections.</param>
/// <param name="InFlight">Unacknowledged publishes per connection.</param>
/// <param name="Duration">The measured time.</param>
/// <param name="Warmup">Time before it, not measured.</param>
/// <param name="Qos">At most once or at least once.</param>
/// <param name="Rate">A total rate to pace to (token bucket), or null for as fast as acknowledgements come.</param>
internal sealed record MqttLoadOptions(
    Uri Broker,
    int Twins,
    string TwinPrefix,
    int Clients,
    int InFlight,
    TimeSpan Duration,
    TimeSpan Warmup,
    MqttQualityOfServiceLevel Qos,
    double? Rate);
