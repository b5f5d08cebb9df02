using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using Doppel.Ingest;
using Doppel.Simulation;
using MQTTnet;
using MQTTnet.Formatter;

namespace Doppel.Cli.Devices;

/// <summary>
/// Simulated devices: each twin's telemetry comes from seeded <see cref="TelemetrySignal"/>s and is published as JSON on its
/// convention topic with <c>$sourceTime</c> and <c>$messageId</c>, paced to a total rate by a token bucket.
/// </summary>
internal sealed class DeviceSimulator(DeviceSimulatorOptions options, TimeProvider time)
{
    // A connection takes this many tokens at a time when paced, so a starved bucket wakes it once per batch.
    private const int TokenBatch = 16;

    private long _sent;
    private long _acked;
    private long _failed;
    private long _claimed;
    private string? _lastError;

    /// <summary>Messages handed to the client so far.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Messages the broker acknowledged (QoS 1) or the client wrote (QoS 0).</summary>
    public long Acked => Interlocked.Read(ref _acked);

    /// <summary>Messages refused by the broker or lost with the connection.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>The last failure's message, if any.</summary>
    public string? LastError => Volatile.Read(ref _lastError);

    /// <summary>Connects, publishes until the count, the duration or <paramref name="ct"/> ends it, waits for outstanding acknowledgements, and disconnects.</summary>
    public async Task<TimeSpan> RunAsync(CancellationToken ct)
    {
        var twins = options.Twins;
        var clients = Math.Max(1, Math.Min(options.Clients, twins.Count));
        // Nominal time between two samples of one twin: values depend on the seed and the rate, not on the run's timing.
        var step = options.Rate > 0 ? TimeSpan.FromSeconds(twins.Count / options.Rate) : TimeSpan.FromSeconds(1);
        var runId = Guid.NewGuid().ToString("N")[..8];
        var shares = new List<Device>[clients];
        for (var i = 0; i < clients; i++)
        {
            shares[i] = [];
        }
        for (var i = 0; i < twins.Count; i++)
        {
            shares[i % clients].Add(new Device(twins[i], options.Seed));
        }

        var connections = await Task.WhenAll(Enumerable.Range(0, clients).Select(i => ConnectAsync(options.Broker, $"doppel-sim-{runId}-{i}", ct)));
        try
        {
            var bucket = options.Rate > 0 ? new TokenBucket(options.Rate) : null;
            var started = Stopwatch.GetTimestamp();
            var stopAt = options.Duration is { } duration ? started + (long)(duration.TotalSeconds * Stopwatch.Frequency) : long.MaxValue;
            await Task.WhenAll(connections.Select((client, i) => Task.Run(() => PublishLoopAsync(client, [.. shares[i]], bucket, step, stopAt, $"{runId}-{i}", ct), CancellationToken.None)));
            return Stopwatch.GetElapsedTime(started);
        }
        finally
        {
            foreach (var client in connections)
            {
                if (client.IsConnected)
                {
                    await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None);
                }
                client.Dispose();
            }
        }
    }

    /// <summary>Connects one MQTT 5 client with a clean session.</summary>
    public static async Task<IMqttClient> ConnectAsync(Uri broker, string clientId, CancellationToken ct)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var connect = new MqttClientOptionsBuilder()
            .WithTcpServer(broker.Host, broker.IsDefaultPort || broker.Port <= 0 ? 1883 : broker.Port)
            .WithClientId(clientId)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanSession()
            .WithTimeout(TimeSpan.FromSeconds(30))
            .Build();
        await client.ConnectAsync(connect, ct);
        return client;
    }

    /// <summary>One sample of every signal of a twin as a convention-topic payload.</summary>
    public static byte[] Payload(IReadOnlyList<SimulatedTelemetry> telemetry, TelemetrySignal[] signals, TimeSpan step, DateTimeOffset sourceTime, string messageId)
    {
        var buffer = new ArrayBufferWriter<byte>(64 + (telemetry.Count * 24));
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            for (var i = 0; i < signals.Length; i++)
            {
                var value = signals[i].Next(step);
                if (telemetry[i].IsIntegral)
                {
                    writer.WriteNumber(telemetry[i].Name, (long)Math.Round(value));
                }
                else
                {
                    writer.WriteNumber(telemetry[i].Name, Math.Round(value, 3));
                }
            }
            writer.WriteString("$sourceTime"u8, sourceTime);
            writer.WriteString("$messageId"u8, messageId);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private async Task PublishLoopAsync(IMqttClient client, Device[] devices, TokenBucket? bucket, TimeSpan step, long stopAt, string idPrefix, CancellationToken ct)
    {
        using var window = new SemaphoreSlim(options.InFlight);
        long sequence = 0;
        var next = 0;
        try
        {
            var running = true;
            while (running)
            {
                var batch = bucket is null ? 1 : await bucket.TakeAsync(TokenBatch, ct);
                for (var b = 0; b < batch && running; b++)
                {
                    if (Stopwatch.GetTimestamp() >= stopAt || (options.Count is { } count && Interlocked.Increment(ref _claimed) > count))
                    {
                        running = false;
                        break;
                    }
                    await window.WaitAsync(ct);
                    var device = devices[next];
                    next = (next + 1) % devices.Length;
                    var message = new MqttApplicationMessageBuilder()
                        .WithTopic(device.Topic)
                        .WithPayload(Payload(device.Twin.Telemetry, device.Signals, step, time.GetUtcNow(), $"{idPrefix}-{sequence++}"))
                        .WithQualityOfServiceLevel(options.Qos)
                        .Build();
                    Interlocked.Increment(ref _sent);
                    _ = PublishOneAsync(client, message, window, ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopped by the user: what is in flight is still waited for below.
        }
        for (var i = 0; i < options.InFlight; i++)
        {
            await window.WaitAsync(CancellationToken.None);
        }
    }

    private async Task PublishOneAsync(IMqttClient client, MqttApplicationMessage message, SemaphoreSlim window, CancellationToken ct)
    {
        try
        {
            var result = await client.PublishAsync(message, ct);
            // Reason codes below 0x80 are successes (0x10: no subscribers matched, which is normal for Doppel's broker).
            if ((int)result.ReasonCode < 0x80)
            {
                Interlocked.Increment(ref _acked);
            }
            else
            {
                Interlocked.Increment(ref _failed);
                Volatile.Write(ref _lastError, $"{result.ReasonCode}: {result.ReasonString}");
            }
        }
        catch (Exception e)
        {
            // A lost connection or a cancelled run fails the publish; the run goes on and the summary says so.
            Interlocked.Increment(ref _failed);
            Volatile.Write(ref _lastError, e.Message);
        }
        finally
        {
            window.Release();
        }
    }

    /// <summary>One simulated device: a twin's topic and a signal per telemetry, owned by one connection's loop.</summary>
    private sealed class Device(SimulatedTwin twin, int seed)
    {
        public SimulatedTwin Twin { get; } = twin;

        public string Topic { get; } = ConventionTopics.Telemetry(twin.Id);

        public TelemetrySignal[] Signals { get; } = [.. twin.Telemetry.Select(t =>
        {
            var signalSeed = TelemetrySignal.Seed(seed, twin.Id, t.Name);
            return new TelemetrySignal(SignalShape.For(t.Name, signalSeed), signalSeed);
        })];
    }
}
