using System.Reflection;
using System.Text.Json.Nodes;
using Doppel.IntegrationTests.Greenhouse;
using Doppel.IntegrationTests.Support;
using Doppel.Packs;
using Doppel.Server;

namespace Doppel.IntegrationTests;

/// <summary>
/// A pack outside the manufacturing folder (<see cref="GreenhousePack"/>, in this test assembly) plugs in through the
/// same extension point: found by its assembly attribute by the server and by the CLI, its model listed and loaded,
/// its sample loaded, its live twin forked, its scenario file run here and on the server, its verb run, its demo
/// started. The hosts name no pack: neither assembly references one.
/// </summary>
public sealed class GreenhousePackTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private string Url => server.Server.HttpAddress!.ToString();

    [Fact]
    public async Task The_server_lists_the_discovered_packs_with_what_each_registers_and_loads_a_packs_models()
    {
        var packs = (await server.SendOkAsync(HttpMethod.Get, "/doppel/packs"))["value"]!.AsArray();

        Assert.Equal(["foresight", "greenhouse", "health", "manufacturing", "mobility"], packs.Select(p => (string?)p!["name"]));
        var greenhouse = packs[1]!;
        Assert.Equal([GreenhousePack.Model], greenhouse["models"]!.AsArray().Select(m => (string?)m));
        Assert.Equal("greenhouse", (string?)greenhouse["scenarioKinds"]![0]!["name"]);
        Assert.Equal(GreenhousePack.Model, (string?)greenhouse["scenarioKinds"]![0]!["twinModel"]);
        Assert.Equal(336, (double)greenhouse["experimentKinds"]![0]!["run"]!["duration"]!);
        Assert.Equal("heating", (string?)greenhouse["experimentKinds"]![0]!["view"]!["columns"]![0]!["kpi"]);
        Assert.Equal(["greenhouse"], greenhouse["samples"]!.AsArray().Select(s => (string?)s!["name"]));
        Assert.Equal(["greenhouse"], greenhouse["demos"]!.AsArray().Select(s => (string?)s!["name"]));
        Assert.Equal(["greenhouse-status", "greenhouse-settings"], greenhouse["verbs"]!.AsArray().Select(s => (string?)s!["name"]));
        Assert.Equal(16, packs[3]!["models"]!.AsArray().Count);

        // A pack's models are listed as DTDL, and loaded once: a second load finds them there.
        var models = await DoppelProcess.RunAsync("packs", "models", "greenhouse", "--server", Url);
        Assert.True(models.ExitCode == 0, models.StdErr);
        Assert.Contains(GreenhousePack.Model, models.StdOut, StringComparison.Ordinal);
        if (!server.Server.Runtime.Models.List().Any(m => m.Model.Id.Value == GreenhousePack.Model))
        {
            var loaded = await server.SendOkAsync(HttpMethod.Post, "/doppel/packs/greenhouse/models");
            Assert.Equal([GreenhousePack.Model], loaded["loaded"]!.AsArray().Select(m => (string?)m));
        }
        var again = await DoppelProcess.RunAsync("packs", "models", "greenhouse", "--load", "--server", Url);
        Assert.True(again.ExitCode == 0, again.StdErr);
        Assert.Equal("Loaded 0 models; 1 was there already.", again.StdOut.Trim());
        using var unknown = await server.SendAsync(HttpMethod.Get, "/doppel/packs/greenhose");
        Assert.Equal("There is no pack 'greenhose'; did you mean 'greenhouse'?", await AdtAssert.Error(unknown, 404, "PackNotFound"));
    }

    [Fact]
    public async Task Its_sample_loads_its_live_twin_forks_its_files_run_and_its_verb_reads_the_server()
    {
        // The sample, through the generic verb; loading again changes nothing.
        var load = await DoppelProcess.RunAsync("samples", "load", "greenhouse", "--server", Url);
        Assert.True(load.ExitCode == 0, load.StdErr);
        var twice = await DoppelProcess.RunAsync("samples", "load", "greenhouse", "--server", Url, "--json");
        Assert.Equal(2, (int)JsonNode.Parse(twice.StdOut)!["twins"]!["existing"]!);
        Assert.Equal(0, (int)JsonNode.Parse(twice.StdOut)!["twins"]!["created"]!);
        var samples = await DoppelProcess.RunAsync("samples", "list", "--server", Url);
        Assert.Matches(@"greenhouse\s+greenhouse\s+Two greenhouses", samples.StdOut);
        Assert.Matches(@"factory\s+manufacturing", samples.StdOut);

        // The live twin forked by its id alone: its model picks the greenhouse kind; it starts at the twin's temperature.
        var fork = await server.SendOkAsync(HttpMethod.Post, "/doppel/scenarios", """
            {"twin": "gh-1", "run": {"duration": 240, "warmup": 24, "replications": 4, "seed": 3},
             "whatIf": {"warmer": {"setpoint": 23}, "insulated": {"timeConstant": 12}}}
            """);
        Assert.Equal(("greenhouse", "gh-1", "now", 15.0), ((string?)fork["kind"], (string?)fork["greenhouse"], (string?)fork["start"], (double)fork["initialTemperature"]!));
        Assert.Equal(["baseline", "warmer", "insulated"], fork["scenarios"]!.AsArray().Select(s => (string?)s!["name"]));
        var warmer = fork["scenarios"]![1]!["comparisons"]!;
        Assert.True((bool)warmer["meanTemperature"]!["significant"]! && (double)warmer["meanTemperature"]!["difference"]! is > 2.5 and < 3.5, warmer.ToJsonString());
        Assert.True((double)warmer["heating"]!["difference"]! > 0, "a warmer setpoint heats more");
        Assert.True((double)fork["scenarios"]![2]!["comparisons"]!["heating"]!["difference"]! < 0, "better insulation heats less");

        // A kind's own keys are checked too.
        using var misspelled = await server.SendAsync(HttpMethod.Post, "/doppel/scenarios", """{"twin": "gh-1", "outside": {"mean": 5, "sprad": 2}}""");
        Assert.Equal("line 1, outside: unknown key 'sprad'; did you mean 'spread'?", await AdtAssert.Error(misspelled, 400, "InvalidArgument"));

        // The same from the command line, printed with the kind's columns.
        var cli = await DoppelProcess.RunAsync("simulate", "--twin", "gh-2", "--server", Url, "--replications", "3", "--duration", "120", "--warmup", "12");
        Assert.True(cli.ExitCode == 0, cli.StdErr);
        Assert.Contains("3 replications of 120 time units (warm-up 12), seed 1, 95% confidence intervals:", cli.StdOut, StringComparison.Ordinal);
        Assert.Matches(@"scenario\s+heating\s+mean °C", cli.StdOut);

        // A greenhouse scenario file, here and on the server, names its kind or is recognised by its keys.
        var file = Path.Combine(Repository.TempFolder(), "greenhouse.yaml");
        await File.WriteAllTextAsync(file, """
            greenhouse: { temperature: 18, setpoint: 20, heaterPower: 7.5, timeConstant: 4 }
            outside: { mean: 5, spread: 2 }
            run: { duration: 200, warmup: 20, replications: 3, seed: 5 }
            whatIf:
              colder: { setpoint: 17 }
            """);
        var local = await DoppelProcess.RunAsync("simulate", file, "--json");
        var remote = await DoppelProcess.RunAsync("simulate", file, "--json", "--server", Url);
        Assert.True(local.ExitCode == 0 && remote.ExitCode == 0, local.StdErr + remote.StdErr);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(local.StdOut), JsonNode.Parse(remote.StdOut)), local.StdOut + "\n" + remote.StdOut);
        Assert.Equal("greenhouse", (string?)JsonNode.Parse(local.StdOut)!["kind"]);

        // The pack's verb: an argument, a flag, a number option, and the server.
        var status = await DoppelProcess.RunAsync("greenhouse-status", "gh-1", "--server", Url);
        Assert.True(status.ExitCode == 0, status.StdErr);
        Assert.Equal("gh-1: 15 °C, setpoint 20 °C, heater off, out of the band", status.StdOut.Trim());
        var fahrenheit = await DoppelProcess.RunAsync("greenhouse-status", "gh-1", "--fahrenheit", "--band", "6", "--server", Url);
        Assert.Equal("gh-1: 59 °F, setpoint 68 °F, heater off, comfortable", fahrenheit.StdOut.Trim());
        var missing = await DoppelProcess.RunAsync("greenhouse-status", "gh-9", "--server", Url);
        Assert.Equal((1, "doppel: greenhouse 'gh-9': There is no digital twin with id 'gh-9'."), (missing.ExitCode, missing.StdErr.Trim()));
        var usage = await DoppelProcess.RunAsync("greenhouse-status", "gh-1", "--band", "-1", "--server", Url);
        Assert.Equal((2, "doppel: --band must be positive."), (usage.ExitCode, usage.StdErr.Trim()));
    }

    [Fact]
    public async Task A_pack_verb_that_reads_a_document_takes_a_file_or_standard_input_and_its_errors_are_one_line_with_the_exit_codes_of_every_command()
    {
        // Given a greenhouse of this test's own (the other tests read the sample's)
        await server.SendOkAsync(HttpMethod.Post, "/doppel/samples/greenhouse/load");
        await server.SendOkAsync(HttpMethod.Put, "/digitaltwins/gh-settings", $$"""{"$metadata": {"$model": "{{GreenhousePack.Model}}"}, "setpoint": 20, "heaterPower": 7.5, "timeConstant": 4}""");
        var folder = Repository.TempFolder();
        var yaml = Path.Combine(folder, "settings.yaml");
        await File.WriteAllTextAsync(yaml, "setpoint: 21.5\nheaterPower: 8\n");

        // When its settings are changed from a YAML file, then from JSON on standard input
        var fromFile = await DoppelProcess.RunAsync("greenhouse-settings", "gh-settings", yaml, "--server", Url);
        var fromStdin = await DoppelProcess.RunWithInputAsync("""{"timeConstant": 5}""", "greenhouse-settings", "gh-settings", "-", "--server", Url);

        // Then the twin has them
        Assert.True(fromFile.ExitCode == 0, fromFile.StdErr);
        Assert.Equal("gh-settings: setpoint 21.5, heaterPower 8", fromFile.StdOut.Trim());
        Assert.True(fromStdin.ExitCode == 0, fromStdin.StdErr);
        var twin = await server.SendOkAsync(HttpMethod.Get, "/digitaltwins/gh-settings");
        Assert.Equal((21.5, 8.0, 5.0), ((double)twin["setpoint"]!, (double)twin["heaterPower"]!, (double)twin["timeConstant"]!));

        // And what goes wrong is told as every command tells it: a missing file and malformed YAML are usage errors with
        // where (exit 2, before anything is sent), so is a key the verb does not know, and a twin the server lacks is a failure (exit 1).
        var missing = await DoppelProcess.RunAsync("greenhouse-settings", "gh-settings", Path.Combine(folder, "nope.yaml"), "--server", Url);
        Assert.Equal((2, $"doppel: settings: no such file: {Path.Combine(folder, "nope.yaml")}"), (missing.ExitCode, missing.StdErr.Trim()));
        var malformed = Path.Combine(folder, "malformed.yaml");
        await File.WriteAllTextAsync(malformed, "setpoint: [21\n");
        var broken = await DoppelProcess.RunAsync("greenhouse-settings", "gh-settings", malformed, "--server", Url);
        Assert.Equal(2, broken.ExitCode);
        Assert.Matches($"^doppel: {System.Text.RegularExpressions.Regex.Escape(malformed)}:\\d+:\\d+: not valid YAML: ", broken.StdErr.Trim());
        var typo = await DoppelProcess.RunWithInputAsync("setpoint: 20\nsetpont: 21\n", "greenhouse-settings", "gh-settings", "-", "--server", Url);
        Assert.Equal((2, "doppel: stdin: line 2: unknown key 'setpont'; did you mean 'setpoint'?"), (typo.ExitCode, typo.StdErr.Trim()));
        var unknown = await DoppelProcess.RunAsync("greenhouse-settings", "gh-none", yaml, "--server", Url);
        Assert.Equal((1, "doppel: greenhouse 'gh-none': There is no digital twin with id 'gh-none'."), (unknown.ExitCode, unknown.StdErr.Trim()));
        Assert.Equal(21.5, (double)(await server.SendOkAsync(HttpMethod.Get, "/digitaltwins/gh-settings"))["setpoint"]!);
    }

    [Fact]
    public async Task A_server_given_its_packs_runs_with_those_alone()
    {
        await using var only = await DoppelServer.StartAsync(new DoppelServerOptions
        {
            DataDirectory = Repository.TempFolder(),
            Urls = "http://127.0.0.1:0",
            MqttPort = null,
            Packs = [new GreenhousePack()],
        }, logging => { });
        using var http = new HttpClient { BaseAddress = only.HttpAddress };

        var packs = JsonNode.Parse(await http.GetStringAsync("/doppel/packs?api-version=2023-10-31"))!["value"]!.AsArray();
        using var line = await http.PostAsync("/doppel/experiments?api-version=2023-10-31", new StringContent(File.ReadAllText(Path.Combine(Repository.Root, "samples", "factory", "line.yaml"))));
        using var fork = await http.PostAsync("/doppel/scenarios?api-version=2023-10-31", new StringContent("""{"line": "line-1"}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(["greenhouse"], packs.Select(p => (string?)p!["name"]));
        Assert.Equal(400, (int)line.StatusCode);
        Assert.Contains("say which kind of scenario file this is, 'kind: NAME', one of: greenhouse", System.Text.RegularExpressions.Regex.Unescape(await line.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(400, (int)fork.StatusCode);
        Assert.Contains("say what to fork", System.Text.RegularExpressions.Regex.Unescape(await fork.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public void The_greenhouse_heats_as_long_as_its_thermostat_cycle_says_in_closed_form()
    {
        // Constant weather at 5 °C: the heater (7.5 °C an hour, τ = 4 h) drives the temperature from 19.5 to 20.5 towards
        // 5 + 7.5·4 = 35, then it falls back towards 5. Each leg's length follows from the exponential.
        var climate = new GreenhouseClimate(Setpoint: 20, HeaterPower: 7.5, TimeConstant: 4, OutsideMean: 5, OutsideSpread: 0);
        var on = 4 * Math.Log((35 - 19.5) / (35 - 20.5));
        var off = 4 * Math.Log((20.5 - 5) / (19.5 - 5));

        var (heating, mean) = new GreenhouseModel(new Doppel.Simulation.Simulation(1), climate, 15).Run(2000, 100);

        Assert.Equal(on / (on + off), heating, 0.002);
        Assert.InRange(mean, 19.5, 20.5);
    }

    [Fact]
    public void The_hosts_reference_no_pack_assembly()
    {
        var hosts = new[] { typeof(DoppelServer).Assembly, typeof(Doppel.Cli.ExitCodes).Assembly };
        foreach (var host in hosts)
        {
            foreach (var reference in host.GetReferencedAssemblies())
            {
                var assembly = Assembly.Load(reference);
                Assert.False(assembly.GetCustomAttributes<DoppelPackAttribute>().Any(), $"{host.GetName().Name} references the pack assembly {reference.Name}");
            }
            Assert.DoesNotContain(host.GetReferencedAssemblies(), r => r.Name == "Doppel.Packs");
        }
        // The server's project does not even ship it; the CLI's ships it beside itself, unreferenced, to be found at start.
        Assert.DoesNotContain("Doppel.Packs", File.ReadAllText(Path.Combine(Repository.Root, "src", "Doppel.Server", "Doppel.Server.csproj")), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(typeof(Doppel.Cli.ExitCodes).Assembly.Location)!, "Doppel.Packs.dll")));
    }

    [Fact]
    public async Task The_greenhouse_demo_runs_its_replicas_through_the_hosts_device_link_and_stops_on_Ctrl_C()
    {
        await using var demo = await DemoProcess.StartAsync("greenhouse", "--data", Repository.TempFolder(), "--urls", "http://127.0.0.1:0", "--mqtt-port", "0", "--speed", "60");
        using var http = new HttpClient { BaseAddress = demo.Api };

        Assert.Contains("Doppel demo: 2 greenhouses (gh-1, gh-2) are live.", demo.Banner);
        // The thermostats report through the device link: the twin's temperature changes from the sample's 15 °C.
        await using (var changes = await SseStream.OpenAsync(http, "?twinId=gh-1&types=twin"))
        {
            var change = await changes.NextAsync();
            Assert.Equal("Microsoft.DigitalTwins.Twin.Update", change.Type);
        }
        var twin = JsonNode.Parse(await http.GetStringAsync("/digitaltwins/gh-1?api-version=2023-10-31"))!;
        Assert.NotEqual(15.0, (double)twin["temperature"]!);
        foreach (var hint in demo.Hints)
        {
            Assert.StartsWith("dotnet ", hint, StringComparison.Ordinal);
        }
        Assert.Contains(demo.Hints, h => h.Contains(" greenhouse-status gh-1 --server ", StringComparison.Ordinal));

        var (code, rest, errors) = await demo.InterruptAsync();
        Assert.True(code == 130, $"exit {code}\n{rest}\n{errors}");
        Assert.DoesNotContain("   at ", errors, StringComparison.Ordinal);
    }
}
