using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Doppel.IntegrationTests.Support;

namespace Doppel.IntegrationTests;

/// <summary>`doppel demo`, the README's first command: a live sample factory on embedded defaults, forked and stopped as a user would.</summary>
public sealed class DemoTests
{
    private static readonly string[] HoldingParts = ["working", "blocked", "down", "cooling", "setup", "maintenance"];

    [Fact]
    public async Task A_fork_of_the_live_factory_starts_where_history_says_the_line_stood_and_its_what_if_changes_what_it_should()
    {
        // Given the demo, its line running at 20 minutes a second
        await using var demo = await DemoProcess.StartAsync("--data", Repository.TempFolder(), "--urls", "http://127.0.0.1:0", "--mqtt-port", "0", "--rate", "50", "--speed", "20");
        using var http = new HttpClient { BaseAddress = demo.Api, Timeout = TimeSpan.FromMinutes(2) };
        // and a moment of it that history has settled: the controller reports tick by tick, each acknowledged once
        // durable, so once a report stamped after it has arrived, everything up to it is in history.
        await using (var telemetry = await SseStream.OpenAsync(http, "?twinId=line-1&types=telemetry"))
        {
            await telemetry.NextAsync();
        }
        var at = DateTimeOffset.UtcNow;
        await using (var telemetry = await SseStream.OpenAsync(http, "?twinId=line-1&types=telemetry"))
        {
            while (DateTimeOffset.Parse((string)(await telemetry.NextAsync()).Json["time"]!, CultureInfo.InvariantCulture) <= at)
            {
            }
        }

        // When the line is forked as it stood then, with a faster paint oven as a what-if
        var request = JsonNode.Parse("""
            {"line": "line-1", "run": {"duration": 5000, "warmup": 500, "replications": 6, "seed": 7},
             "whatIf": {"faster-paint": {"stations": {"paint": {"cycleTime": "normal(1.0, 0.1)"}}}}}
            """)!;
        request["at"] = at.ToString("O", CultureInfo.InvariantCulture);
        var fork = await PostAsync(http, "/doppel/scenarios", request.ToJsonString());

        // Then the fork starts from the levels and states history holds for that time
        var levels = new List<int>();
        foreach (var buffer in new[] { "buffer-1", "buffer-2", "buffer-3", "buffer-4" })
        {
            levels.Add((int?)(await AtAsync(http, buffer, "level", at)) ?? 0);
        }
        var states = new Dictionary<string, string?>();
        foreach (var station in new[] { "press", "weld", "paint", "inspect", "pack" })
        {
            states[station] = (string?)await AtAsync(http, station, "state", at);
        }
        var initial = fork["initialState"]!;
        Assert.Equal(levels, initial["bufferLevels"]!.AsArray().Select(l => (int)l!));
        Assert.Equal(states.Where(s => s.Value == "down").Select(s => s.Key), initial["stationsDown"]!.AsArray().Select(s => (string)s!));
        var holding = states.Where(s => HoldingParts.Contains(s.Value)).Select(s => s.Key).ToList();
        Assert.Equal(holding, initial["stationsHoldingParts"]!.AsArray().Select(s => (string)s!));
        Assert.Equal(levels.Sum() + holding.Count, (int)initial["workInProgress"]!);
        Assert.Equal(at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture), (string?)fork["start"]);
        Assert.Equal(2, (int)fork["crews"]!);
        Assert.True(levels.All(l => l is >= 0 and <= 5), string.Join(", ", levels));

        // and its KPIs are the line's: the paint oven (1.2 minutes a part, stopping to cool) is the bottleneck, busy
        // working or cooling nearly all the time; good output is what it paints less inspection's 2% scrap; Little's law
        // ties WIP, throughput and lead time together
        var baseline = fork["scenarios"]![0]!;
        var throughput = Kpi(baseline, "throughput");
        var painting = Kpi(baseline, "utilization.paint").Mean;
        Assert.Equal("paint", (string?)baseline["bottleneck"]);
        Assert.InRange(painting + Kpi(baseline, "cooling.paint").Mean, 0.9, 1 + 1e-9);
        Assert.InRange(throughput.Mean, 0.5, (1 / 1.2) * 0.98);
        Assert.Equal(painting / 1.2 * 0.98, throughput.Mean, throughput.Mean * 0.02);
        Assert.True(throughput.HalfWidth < 0.02, $"throughput ± {throughput.HalfWidth}");
        Assert.Equal(Kpi(baseline, "wip").Mean, throughput.Mean * Kpi(baseline, "leadTime").Mean, Kpi(baseline, "wip").Mean * 0.05);

        // and a faster oven raises output significantly, by no more than the oven's own gain, and moves the bottleneck
        var faster = fork["scenarios"]![1]!;
        var gain = faster["throughputVsBaseline"]!;
        Assert.True((bool)gain["significant"]!, gain.ToJsonString());
        Assert.InRange((double)gain["difference"]! - (double)gain["halfWidth"]!, 0, double.MaxValue);
        Assert.InRange((double)gain["difference"]!, 0, (1 / 1.0) - (1 / 1.2));
        Assert.NotEqual("paint", (string?)faster["bottleneck"]);
        Assert.True((double)faster["comparisons"]!["leadTime"]!["difference"]! < 0, "a faster bottleneck shortens the lead time");
    }

    [Fact]
    public async Task The_commands_the_banner_prints_run_as_printed_and_Ctrl_C_stops_the_demo_cleanly()
    {
        await using var demo = await DemoProcess.StartAsync("--data", Repository.TempFolder(), "--urls", "http://127.0.0.1:0", "--mqtt-port", "0", "--rate", "200", "--speed", "30");
        var hints = demo.Hints.ToList();
        Assert.Equal(3, hints.Count);

        // Each command the banner suggests runs in a shell exactly as printed (the watch runs until stopped: it is only started).
        foreach (var hint in hints.Where(h => !h.Contains(" watch ", StringComparison.Ordinal)))
        {
            var (exit, stdout, stderr) = await ShellAsync(hint);
            Assert.True(exit == 0, $"{hint}\nexit {exit}\n{stdout}\n{stderr}");
            Assert.Contains(hint.Contains(" query ", StringComparison.Ordinal) ? "press" : "Line line-1 from now", stdout, StringComparison.Ordinal);
        }

        // Ctrl+C while devices publish: the demo stops its devices and its server, and exits 130 without a trace.
        var (code, rest, errors) = await demo.InterruptAsync();
        Assert.True(code == 130, $"exit {code}\n{rest}\n{errors}");
        Assert.Contains("Demo stopped; its data stays in", rest, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", errors, StringComparison.Ordinal);
    }

    private static async Task<JsonNode> PostAsync(HttpClient http, string path, string json)
    {
        using var response = await http.PostAsync(path + "?api-version=2023-10-31", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonNode.Parse(text)!;
    }

    private static async Task<JsonNode?> AtAsync(HttpClient http, string twin, string name, DateTimeOffset at)
    {
        var body = JsonNode.Parse(await http.GetStringAsync($"/doppel/history/twins/{twin}/at?names={name}&time={Uri.EscapeDataString(at.ToString("O", CultureInfo.InvariantCulture))}&api-version=2023-10-31"))!;
        return body["value"]!.AsArray().FirstOrDefault()?["value"]?.DeepClone();
    }

    private static (double Mean, double HalfWidth) Kpi(JsonNode scenario, string name) =>
        ((double)scenario["kpis"]![name]!["mean"]!, (double)scenario["kpis"]![name]!["halfWidth"]!);

    private static async Task<(int ExitCode, string StdOut, string StdErr)> ShellAsync(string line)
    {
        var info = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(line);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (process.ExitCode, await stdout, await stderr);
    }
}
