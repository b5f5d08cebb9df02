using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Doppel.Cli.Devices;
using Doppel.Ingest;
using MQTTnet;

namespace Doppel.Cli.Bench;

/// <summary>
/// An MQTT publish load: each connection keeps a window of publishes in flight (the broker handles one PUBLISH per
/// connection at a time, so throughput comes from connections times window), and a <see cref="LatencyProbe"/> on the
/// subscriber's side measures publish to arrival.
/// </summary>
internal static class MqttLoad
{
    /// <summary>Connects, publishes for warm-up plus duration, waits for every acknowledged message to reach the probe, and summarizes.</summary>
    public static async Task<MqttLoadResult> RunAsync(MqttLoadOptions options, LatencyProbe probe, CancellationToken ct)
    {
        var runId = Guid.NewGuid().ToString("N")[..8];
        var clients = await Task.WhenAll(Enumerable.Range(0, options.Clients).Select(i => DeviceSimulator.ConnectAsync(options.Broker, $"bench-{runId}-{i}", ct)));
        var topics = Enumerable.Range(0, options.Twins).Select(i => ConventionTopics.Telemetry(options.TwinPrefix + i.ToString(CultureInfo.InvariantCulture))).ToArray();
        var counters = new Counters();
        try
        {
            var bucket = options.Rate is { } rate ? new TokenBucket(rate) : null;
            var start = Stopwatch.GetTimestamp();
            var measureFrom = start + Ticks(options.Warmup);
            var stopAt = measureFrom + Ticks(options.Duration);
            probe.Window(measureFrom, stopAt);
            await Task.WhenAll(clients.Select((client, i) =>
                Task.Run(() => PublishLoopAsync(client, i, options, topics, bucket, counters, measureFrom, stopAt, ct), CancellationToken.None)));

            // Everything acknowledged must reach the subscriber; a broker that lost some is reported, not waited for forever.
            await probe.WaitForAsync(counters.Acknowledged).WaitAsync(TimeSpan.FromSeconds(30), ct).ContinueWith(_ => { }, CancellationToken.None);
            var (p50, p99, samples) = probe.Latencies();
            return new MqttLoadResult(counters.Acknowledged, counters.AcknowledgedInWindow / options.Duration.TotalSeconds, counters.Failed, probe.Received, p50, p99, samples);
        }
        finally
        {
            foreach (var client in clients)
            {
                if (client.IsConnected)
                {
                    await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None);
                }
                client.Dispose();
            }
        }
    }

    /// <summary>A bench payload: three readings, the source time, and a message id that starts with the send timestamp.</summary>
    public static byte[] Payload(long sequence, DateTimeOffset sourceTime, string messageId)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("temperature"u8, 20 + (sequence % 1000 * 0.01));
            writer.WriteNumber("pressure"u8, 101 + (sequence % 100 * 0.01));
            writer.WriteNumber("vibration"u8, sequence % 97 * 0.001);
            writer.WriteString("$sourceTime"u8, sourceTime);
            writer.WriteString("$messageId"u8, messageId);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static async Task PublishLoopAsync(IMqttClient client, int index, MqttLoadOptions options, string[] topics, TokenBucket? bucket, Counters counters, long measureFrom, long stopAt, CancellationToken ct)
    {
        using var window = new SemaphoreSlim(options.InFlight);
        long sequence = 0;
        var suffix = "-" + index.ToString(CultureInfo.InvariantCulture) + "-";
        while (Stopwatch.GetTimestamp() < stopAt)
        {
            var batch = bucket is null ? 1 : await bucket.TakeAsync(16, ct);
            for (var b = 0; b < batch; b++)
            {
                await window.WaitAsync(ct);
                var sent = Stopwatch.GetTimestamp();
                if (sent >= stopAt)
                {
                    window.Release();
                    break;
                }
                var id = sent.ToString(CultureInfo.InvariantCulture) + suffix + sequence.ToString(CultureInfo.InvariantCulture);
                var topic = topics[(int)(((sequence * options.Clients) + index) % topics.Length)];
                var message = new MqttApplicationMessageBuilder()
                    .WithTopic(topic)
                    .WithPayload(Payload(sequence, DateTimeOffset.UtcNow, id))
                    .WithQualityOfServiceLevel(options.Qos)
                    .Build();
                sequence++;
                _ = PublishOneAsync(client, message, window, counters, measureFrom, stopAt, ct);
            }
        }
        for (var i = 0; i < options.InFlight; i++)
        {
            await window.WaitAsync(CancellationToken.None);
        }
    }

    private static async Task PublishOneAsync(IMqttClient client, MqttApplicationMessage message, SemaphoreSlim window, Counters counters, long measureFrom, long stopAt, CancellationToken ct)
    {
        try
        {
            var result = await client.PublishAsync(message, ct);
            if ((int)result.ReasonCode < 0x80)
            {
                Interlocked.Increment(ref counters.AcknowledgedField);
                var now = Stopwatch.GetTimestamp();
                if (now >= measureFrom && now < stopAt)
                {
                    Interlocked.Increment(ref counters.AcknowledgedInWindowField);
                }
            }
            else
            {
                Interlocked.Increment(ref counters.FailedField);
            }
        }
        catch (Exception)
        {
            // Counted as failed; the summary shows failures beside the rate.
            Interlocked.Increment(ref counters.FailedField);
        }
        finally
        {
            window.Release();
        }
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    /// <summary>Shared by every connection of a run; fields so that they can be incremented atomically.</summary>
    private sealed class Counters
    {
        public long AcknowledgedField;
        public long AcknowledgedInWindowField;
        public long FailedField;

        public long Acknowledged => Interlocked.Read(ref AcknowledgedField);

        public long AcknowledgedInWindow => Interlocked.Read(ref AcknowledgedInWindowField);

        public long Failed => Interlocked.Read(ref FailedField);
    }
}
