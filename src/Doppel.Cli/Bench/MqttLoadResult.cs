namespace Doppel.Cli.Bench;

/// <summary>What one MQTT load run measured.</summary>
/// <param name="Acknowledged">Publishes acknowledged over the whole run, warm-up included.</param>
/// <param name="MessagesPerSecond">Acknowledgements per second in the measured window.</param>
/// <param name="Failed">Publishes refused or lost.</param>
/// <param name="Received">Messages the subscriber saw over the whole run.</param>
/// <param name="P50">Median publish-to-subscriber latency of messages sent in the measured window.</param>
/// <param name="P99">99th percentile of the same.</param>
/// <param name="Samples">Latencies measured.</param>
internal sealed record MqttLoadResult(long Acknowledged, double MessagesPerSecond, long Failed, long Received, TimeSpan P50, TimeSpan P99, long Samples);
