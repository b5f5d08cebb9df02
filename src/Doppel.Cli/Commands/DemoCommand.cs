using System.CommandLine;
using Doppel.Cli.Devices;
using Doppel.Cli.Invocation;
using Doppel.Packs;
using Doppel.Server;

namespace Doppel.Cli.Commands;

/// <summary>
/// doppel demo [NAME]: the whole platform in one process on embedded defaults, with a pack's sample loaded and its demo
/// making it live (for the default demo, the sample factory: machines publishing over MQTT and the line's controller
/// played by a simulation of the line), ready to query, watch and fork into what-if simulations. Ctrl+C stops it
/// cleanly (exit 130).
/// </summary>
internal static class DemoCommand
{
    public static Command Create(PackCatalog packs)
    {
        var name = new Argument<string?>("name") { Description = $"The demo to run: {string.Join(", ", packs.Demos.Select(d => d.Demo.Name + (d.Demo.IsDefault ? " (default)" : "")))}.", Arity = ArgumentArity.ZeroOrOne };
        var data = new Option<string>("--data") { Description = "Data folder (the same default as serve).", DefaultValueFactory = _ => "./doppel-data" };
        var urls = new Option<string>("--urls") { Description = "Addresses to listen on, as for serve.", DefaultValueFactory = _ => DoppelServerOptions.DefaultUrls };
        var mqttPort = new Option<int>("--mqtt-port") { Description = "Port of the embedded MQTT broker (0: any free port).", DefaultValueFactory = _ => 1883 };
        var rate = new Option<double>("--rate") { Description = "Messages per second over all simulated devices.", DefaultValueFactory = _ => 20 };
        var speed = new Option<double>("--speed") { Description = "Model time units (the factory's minutes) simulated per real second.", DefaultValueFactory = _ => 1 };
        var seed = new Option<ulong?>("--seed") { Description = "Seeds the demo's randomness (a different run each time by default)." };
        var command = new Command("demo", "Run Doppel with a pack's live sample (by default the sample factory): models, twins, simulated devices over MQTT, ready to query, watch and simulate.")
        {
            name, data, urls, mqttPort, rate, speed, seed,
        };
        var transport = new TransportOptions();
        transport.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var found = packs.FindDemo(parse.GetValue(name));
            if (!found.IsSuccess)
            {
                throw CommandFailure.Usage(found.Error.Message);
            }
            if (!(parse.GetValue(speed) > 0) || !(parse.GetValue(rate) >= 0))
            {
                throw CommandFailure.Usage("--speed must be positive and --rate 0 or more.");
            }
            var demo = found.Value.Demo;
            if (packs.FindSample(demo.Sample) is not { } sample)
            {
                throw CommandFailure.Failed($"demo '{demo.Name}' needs the sample '{demo.Sample}', which no pack ships.");
            }
            var options = new DoppelServerOptions { DataDirectory = parse.GetValue(data)!, Urls = parse.GetValue(urls)!, MqttPort = parse.GetValue(mqttPort) };
            transport.Apply(parse, options);
            // The banner and the devices speak for the demo: the server's own log would bury them.
            await using (var server = await ServerStartup.StartAsync(options, logging => { }, mqttOptional: false, ct))
            {
                var outcome = await RunAsync(server, options, demo, sample.Sample.Name, parse.GetValue(speed), parse.GetValue(rate), parse.GetValue(seed), ct);
                if (outcome != ExitCodes.Interrupted)
                {
                    return outcome;
                }
            }
            // Only once the server has stopped and its data folder is closed.
            Console.WriteLine($"Demo stopped; its data stays in {Path.GetFullPath(options.DataDirectory)}.");
            return ExitCodes.Interrupted;
        });
        return command;
    }

    /// <summary>Loads the sample, starts the demo, prints the banner, and runs until Ctrl+C.</summary>
    private static async Task<int> RunAsync(DoppelServer server, DoppelServerOptions options, IPackDemo demo, string sample, double speed, double rate, ulong? seed, CancellationToken ct)
    {
        var http = server.HttpAddress!;
        try
        {
            // Loading creates only what is missing: a restarted demo keeps the state its twins last reported.
            using (var client = new DoppelClient(http.ToString()))
            {
                var (status, body) = await client.SendAsync(HttpMethod.Post, $"doppel/samples/{Uri.EscapeDataString(sample)}/load", ct: ct);
                if (status != 200)
                {
                    return DoppelClient.Fail(DoppelClient.Error(status, body));
                }
            }
            var broker = new Uri($"mqtt://127.0.0.1:{server.MqttPort}");
            var context = new CliDemoContext(http, broker, server.Runtime.Graph, TimeProvider.System, seed ?? (ulong)Environment.TickCount64, speed, rate);
            var session = await demo.StartAsync(context, ct);
            if (!session.IsSuccess)
            {
                throw CommandFailure.Failed($"demo '{demo.Name}': {session.Error.Message}");
            }
            var prefix = CliInvocation.Prefix();
            Console.WriteLine($"Doppel demo: {session.Value.Headline}");
            Console.WriteLine($"  API {http}   MQTT {broker}   data {Path.GetFullPath(options.DataDirectory)}");
            Console.WriteLine($"  console {http} (open it in a browser)");
            foreach (var line in TransportOptions.Describe(server, options).Where(l => !l.Contains("development certificate", StringComparison.Ordinal)))
            {
                Console.WriteLine(line);
            }
            for (var i = 0; i < session.Value.Hints.Count; i++)
            {
                Console.WriteLine($"  {(i == 0 ? "try: " : "     ")}{CliInvocation.Command(prefix, [.. session.Value.Hints[i], "--server", http.ToString()])}");
            }
            Console.WriteLine("  Press Ctrl+C to stop.");
            await session.Value.RunAsync(ct);
            if (!ct.IsCancellationRequested)
            {
                throw CommandFailure.Failed($"demo '{demo.Name}' ended by itself.");
            }
        }
        catch (Exception) when (ct.IsCancellationRequested)
        {
            // Ctrl+C: whatever was in flight (a publish, a request) was cut short on purpose, and says so its own way.
        }
        catch (Exception e) when (e is not (CommandFailure or OutOfMemoryException))
        {
            throw CommandFailure.Failed($"demo '{demo.Name}' failed: {e.Message.TrimEnd('.')}.");
        }
        return ExitCodes.Interrupted;
    }
}
