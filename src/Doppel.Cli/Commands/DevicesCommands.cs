using System.CommandLine;
using System.Globalization;
using Doppel.Cli.Devices;
using MQTTnet.Protocol;

namespace Doppel.Cli.Commands;

/// <summary>doppel devices simulate: simulated devices publishing realistic telemetry to an MQTT broker.</summary>
internal static class DevicesCommands
{
    public static Command Create() => new("devices", "Simulated devices.") { Simulate() };

    private static Command Simulate()
    {
        var broker = new Option<string>("--broker") { Description = "The MQTT broker (Doppel's embedded one, or the broker Doppel bridges).", DefaultValueFactory = _ => "mqtt://127.0.0.1:1883" };
        var server = ClientOptions.Server();
        var query = new Option<string?>("--query") { Description = "Simulate the twins this query returns, with every numeric telemetry their models declare (needs --server)." };
        var twins = new Option<string?>("--twins") { Description = "Twin ids, comma-separated (with --telemetry)." };
        var prefix = new Option<string?>("--twin-prefix") { Description = "Twins named PREFIX0, PREFIX1, ... (with --twins-count and --telemetry)." };
        var twinsCount = new Option<int>("--twins-count") { Description = "How many twins --twin-prefix names.", DefaultValueFactory = _ => 10 };
        var telemetry = new Option<string?>("--telemetry") { Description = "Telemetry names, comma-separated; name:int sends whole numbers (DTDL integer or long)." };
        var rate = new Option<double>("--rate") { Description = "Messages per second over all twins; 0 for as fast as acknowledgements allow.", DefaultValueFactory = _ => 10 };
        var duration = new Option<double?>("--duration") { Description = "Stop after this many seconds." };
        var count = new Option<long?>("--count") { Description = "Stop after this many messages." };
        var qos = new Option<int>("--qos") { Description = "0 (at most once) or 1 (acknowledged once durable in Doppel).", DefaultValueFactory = _ => 1 };
        var clients = new Option<int>("--clients") { Description = "MQTT connections; each owns a share of the twins.", DefaultValueFactory = _ => 4 };
        var inflight = new Option<int>("--inflight") { Description = "Unacknowledged messages allowed per connection.", DefaultValueFactory = _ => 16 };
        var seed = new Option<int>("--seed") { Description = "Seed of every signal: the same seed and rate give the same values.", DefaultValueFactory = _ => 1 };
        var command = new Command("simulate", "Publish realistic telemetry (mean-reverting noise, a slow daily swing, occasional spikes) for many twins to an MQTT broker at a chosen rate.")
        {
            broker, server, query, twins, prefix, twinsCount, telemetry, rate, duration, count, qos, clients, inflight, seed,
        };
        command.SetAction(async (parse, ct) =>
        {
            if (!Uri.TryCreate(parse.GetValue(broker), UriKind.Absolute, out var brokerUri) || brokerUri.Scheme is not ("mqtt" or "tcp"))
            {
                return Usage($"--broker '{parse.GetValue(broker)}' is not an address such as mqtt://127.0.0.1:1883.");
            }
            if (parse.GetValue(qos) is not (0 or 1))
            {
                return Usage("--qos must be 0 or 1.");
            }
            if (parse.GetValue(clients) < 1 || parse.GetValue(inflight) < 1 || parse.GetValue(rate) < 0 || parse.GetValue(count) is <= 0 || parse.GetValue(duration) is <= 0)
            {
                return Usage("--clients and --inflight must be positive, --rate not negative, --count and --duration positive when given.");
            }

            var sources = (parse.GetValue(query) is not null ? 1 : 0) + (parse.GetValue(twins) is not null ? 1 : 0) + (parse.GetValue(prefix) is not null ? 1 : 0);
            if (sources != 1)
            {
                return Usage("name the twins with exactly one of --query, --twins or --twin-prefix.");
            }
            List<SimulatedTwin> simulated;
            if (parse.GetValue(query) is { } text)
            {
                using var client = new DoppelClient(parse.GetValue(server)!);
                var found = await TwinDiscovery.FromQueryAsync(client, text, ct);
                if (!found.IsSuccess)
                {
                    return DoppelClient.Fail(found.Error);
                }
                simulated = found.Value;
                if (simulated.Count == 0)
                {
                    Console.Error.WriteLine("doppel: the query returned no twins whose models declare numeric telemetry.");
                    return ExitCodes.Failed;
                }
            }
            else
            {
                if (parse.GetValue(telemetry) is not { } names || Split(names).Length == 0)
                {
                    return Usage("--telemetry is needed with --twins or --twin-prefix.");
                }
                var signals = Split(names).Select(n => n.EndsWith(":int", StringComparison.Ordinal) ? new SimulatedTelemetry(n[..^4], true) : new SimulatedTelemetry(n, false)).ToList();
                var ids = parse.GetValue(twins) is { } list
                    ? Split(list)
                    : [.. Enumerable.Range(0, Math.Max(0, parse.GetValue(twinsCount))).Select(i => parse.GetValue(prefix) + i.ToString(CultureInfo.InvariantCulture))];
                if (ids.Length == 0)
                {
                    return Usage("no twins named.");
                }
                simulated = [.. ids.Select(id => new SimulatedTwin(id, signals))];
            }

            var options = new DeviceSimulatorOptions(brokerUri, simulated, parse.GetValue(rate),
                parse.GetValue(duration) is { } seconds ? TimeSpan.FromSeconds(seconds) : null, parse.GetValue(count),
                (MqttQualityOfServiceLevel)parse.GetValue(qos), parse.GetValue(clients), parse.GetValue(inflight), parse.GetValue(seed));
            return await RunAsync(options, ct);
        });
        return command;
    }

    private static async Task<int> RunAsync(DeviceSimulatorOptions options, CancellationToken ct)
    {
        var signals = options.Twins.Sum(t => t.Telemetry.Count);
        var pace = options.Rate > 0 ? string.Create(CultureInfo.InvariantCulture, $"{options.Rate:N0} msg/s") : "unpaced";
        var limit = options.Count is { } n ? $"{n:N0} messages" : options.Duration is { } d ? $"{d.TotalSeconds:0.#}s" : "until Ctrl+C";
        Console.WriteLine($"Simulating {Output.CellText.Count(options.Twins.Count, "twin")} ({Output.CellText.Count(signals, "signal")}) on {options.Broker}: {pace}, QoS {(int)options.Qos}, {Output.CellText.Count(Math.Min(options.Clients, options.Twins.Count), "client")}, {limit}, seed {options.Seed}");

        var simulator = new DeviceSimulator(options, TimeProvider.System);
        var run = simulator.RunAsync(ct);
        using (var timer = new PeriodicTimer(TimeSpan.FromSeconds(1)))
        {
            long lastAcked = 0;
            while (!run.IsCompleted)
            {
                await Task.WhenAny(run, timer.WaitForNextTickAsync(CancellationToken.None).AsTask());
                if (run.IsCompleted)
                {
                    break;
                }
                var acked = simulator.Acked;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  sent {simulator.Sent,12:N0}  acked {acked,12:N0}  failed {simulator.Failed,6:N0}  {acked - lastAcked,8:N0} msg/s"));
                lastAcked = acked;
            }
        }

        TimeSpan elapsed;
        try
        {
            elapsed = await run;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw; // Ctrl+C: the command runner says how it ended.
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException)
        {
            Console.Error.WriteLine($"doppel: cannot connect to the MQTT broker at {options.Broker} ({Invocation.Failures.Reason(e)}). Is the server running with its broker (doppel serve), or is --broker another address?");
            return ExitCodes.Unreachable;
        }
        var rate = simulator.Acked / Math.Max(elapsed.TotalSeconds, 1e-3);
        var acknowledged = options.Qos == MqttQualityOfServiceLevel.AtLeastOnce ? "acknowledged" : "written (QoS 0, not acknowledged)";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Sent {simulator.Sent:N0} messages in {elapsed.TotalSeconds:0.00}s: {simulator.Acked:N0} {acknowledged} ({rate:N0} msg/s), {simulator.Failed:N0} failed"));
        if (simulator.Failed > 0)
        {
            Console.Error.WriteLine($"doppel: {simulator.Failed:N0} messages failed; the last: {simulator.LastError}");
            return ExitCodes.Failed;
        }
        return ExitCodes.Ok;
    }

    private static string[] Split(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static int Usage(string message)
    {
        Console.Error.WriteLine($"doppel: {message}");
        return ExitCodes.Usage;
    }
}
