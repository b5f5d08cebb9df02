using System.Net;
using System.Text.Json.Nodes;
using Doppel.IntegrationTests.Support;

namespace Doppel.IntegrationTests;

/// <summary>
/// Scenario and experiment runs as resources (/doppel/runs) against a real server: submitted without waiting, followed,
/// listed, cancelled, deleted, refused with precise errors. This class has a server of its own.
/// </summary>
public sealed class RunApiTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static readonly string[] Unfinished = ["queued", "running", "cancelling"];

    [Fact]
    public async Task An_experiment_submitted_without_waiting_is_followed_to_the_same_result_as_a_waiting_request()
    {
        // Given a scenario file with a fixed seed
        var yaml = Scenarios.Experiment(replications: 4, duration: 5000);

        // When it is submitted once without waiting and once waiting for the result
        using var accepted = await server.SendAsync(HttpMethod.Post, "/doppel/experiments?wait=false", Scenarios.Named("async-1", yaml), "application/yaml");
        var submitted = JsonNode.Parse(await accepted.Content.ReadAsStringAsync())!;
        using var waited = await server.SendAsync(HttpMethod.Post, "/doppel/experiments", yaml, "application/yaml");
        var direct = JsonNode.Parse(await waited.Content.ReadAsStringAsync())!;

        // Then the first answers 202 at once with the run and where to follow it, and the run ends with the second's result
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(new Uri(server.Server.HttpAddress!, "/doppel/runs/async-1"), accepted.Headers.Location);
        Assert.Equal("async-1", (string?)submitted["id"]);
        Assert.Equal("experiment", (string?)submitted["kind"]);
        Assert.Contains((string?)submitted["status"], Unfinished);
        Assert.Equal(6 * 4, (int)submitted["progress"]!["total"]!);
        var run = await WaitFinishedAsync("async-1");
        Assert.Equal("succeeded", (string?)run["status"]);
        Assert.Equal(24, (int)run["progress"]!["completed"]!);
        Assert.NotNull(run["startedDateTime"]);
        Assert.NotNull(run["finishedDateTime"]);
        Assert.Equal(HttpStatusCode.OK, waited.StatusCode);
        Assert.True(JsonNode.DeepEquals(direct, run["result"]), $"{direct.ToJsonString()}\n{run["result"]?.ToJsonString()}");
        Assert.Contains("name: async-1", (string?)run["request"]!["scenarioFile"], StringComparison.Ordinal);

        // And the waiting request's run was stored too, and both are listed, oldest first, without their results
        var stored = await server.SendOkAsync(HttpMethod.Get, waited.Headers.Location!.AbsolutePath);
        Assert.True(JsonNode.DeepEquals(direct, stored["result"]));
        var list = (await server.SendOkAsync(HttpMethod.Get, "/doppel/runs"))["value"]!.AsArray();
        var ids = list.Select(r => (string?)r!["id"]).ToList();
        Assert.True(ids.IndexOf("async-1") < ids.IndexOf((string?)stored["id"]), string.Join(", ", ids));
        Assert.All(list, r => Assert.Null(r!["result"]));
    }

    [Fact]
    public async Task A_scenario_fork_runs_asynchronously_with_Prefer_respond_async_and_keeps_its_request()
    {
        await Scenarios.ImportFactoryAsync(server);

        using var accepted = await server.SendAsync(HttpMethod.Post, "/doppel/scenarios",
            """{"name":"fork-1","line":"line-1","fromLiveState":false,"run":{"duration":3000,"warmup":300,"replications":3,"seed":5}}""",
            configure: r => r.Headers.Add("Prefer", "respond-async"));

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var run = await WaitFinishedAsync("fork-1");
        Assert.Equal("scenario", (string?)run["kind"]);
        Assert.Equal("succeeded", (string?)run["status"]);
        Assert.Equal("line-1", (string?)run["request"]!["line"]);
        Assert.Equal("line-1", (string?)run["result"]!["line"]);
        Assert.Equal("empty", (string?)run["result"]!["start"]);
        Assert.Equal(3, (int)run["progress"]!["total"]!);
    }

    [Fact]
    public async Task A_long_run_is_cancelled_while_the_next_waits_its_turn_and_the_server_keeps_serving()
    {
        // Given a long experiment running and a short one submitted after it
        using var longRun = await server.SendAsync(HttpMethod.Post, "/doppel/experiments?wait=false", Scenarios.Named("long-1", Scenarios.Long), "application/yaml");
        Assert.Equal(HttpStatusCode.Accepted, longRun.StatusCode);
        using var next = await server.SendAsync(HttpMethod.Post, "/doppel/experiments?wait=false", Scenarios.Named("next-1", Scenarios.Experiment(3, 3000)), "application/yaml");
        Assert.Equal(HttpStatusCode.Accepted, next.StatusCode);
        var running = await RunEvents.UntilAsync(server.Http, "long-1", r => (int)r["progress"]!["completed"]! > 0, "the long run to complete a replication");
        Assert.Equal("running", (string?)running["status"]);

        // Then one run at a time: the short one waits
        var waiting = await GetRunAsync("next-1");
        Assert.Equal("queued", (string?)waiting["status"]);
        Assert.Equal(0, (int)waiting["progress"]!["completed"]!);
        using var deleteRunning = await server.SendAsync(HttpMethod.Delete, "/doppel/runs/long-1");
        Assert.Contains("cancel it", await AdtAssert.Error(deleteRunning, 409, "RunNotFinished"), StringComparison.Ordinal);

        // When the long one is cancelled
        var cancelling = await server.SendOkAsync(HttpMethod.Post, "/doppel/runs/long-1/cancel");

        // Then it stops between replications, keeps no result, and the short one runs
        Assert.Contains((string?)cancelling["status"], new[] { "cancelling", "cancelled" });
        var cancelled = await WaitFinishedAsync("long-1");
        Assert.Equal("cancelled", (string?)cancelled["status"]);
        Assert.True((int)cancelled["progress"]!["completed"]! < (int)cancelled["progress"]!["total"]!, cancelled.ToJsonString());
        Assert.Null(cancelled["result"]);
        Assert.Equal("succeeded", (string?)(await WaitFinishedAsync("next-1"))["status"]);
        using var again = await server.SendAsync(HttpMethod.Post, "/doppel/runs/long-1/cancel");
        Assert.Contains("already finished (cancelled)", await AdtAssert.Error(again, 409, "RunAlreadyFinished"), StringComparison.Ordinal);

        // And a finished run can be deleted, after which it is gone
        using var deleted = await server.SendAsync(HttpMethod.Delete, "/doppel/runs/long-1");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var gone = await server.SendAsync(HttpMethod.Get, "/doppel/runs/long-1");
        await AdtAssert.Error(gone, 404, "RunNotFound");
    }

    [Fact]
    public async Task A_queued_run_is_cancelled_at_once()
    {
        using var first = await server.SendAsync(HttpMethod.Post, "/doppel/experiments?wait=false", Scenarios.Named("blocker-1", Scenarios.Long), "application/yaml");
        using var second = await server.SendAsync(HttpMethod.Post, "/doppel/experiments?wait=false", Scenarios.Named("queued-1", Scenarios.Long), "application/yaml");
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);

        var cancelled = await server.SendOkAsync(HttpMethod.Post, "/doppel/runs/queued-1/cancel");
        await server.SendOkAsync(HttpMethod.Post, "/doppel/runs/blocker-1/cancel");

        Assert.Equal("cancelled", (string?)cancelled["status"]);
        Assert.Null(cancelled["startedDateTime"]);
        Assert.Equal("cancelled", (string?)(await WaitFinishedAsync("blocker-1"))["status"]);
    }

    [Fact]
    public async Task A_scenario_files_optimize_section_runs_on_the_server_as_a_run_whose_result_is_the_packs_report()
    {
        // Given the sample line with its buffer optimization, made small
        var yaml = Scenarios.Named("optimize-1", Scenarios.Experiment(replications: 3, duration: 2000)
            .Replace("generations: 10", "generations: 2", StringComparison.Ordinal).Replace("population: 12", "population: 4", StringComparison.Ordinal));

        // When it is submitted to be optimized, without waiting
        using var accepted = await server.SendAsync(HttpMethod.Post, "/doppel/experiments?optimize=true&wait=false", yaml, "application/yaml");
        var submitted = JsonNode.Parse(await accepted.Content.ReadAsStringAsync())!;

        // Then it is a run of kind optimization counting generations, which ends with the pack's report as text and tables
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(("optimization", 2), ((string?)submitted["kind"], (int)submitted["progress"]!["total"]!));
        var run = await WaitFinishedAsync("optimize-1");
        Assert.Equal("succeeded", (string?)run["status"]);
        var result = run["result"]!;
        Assert.Equal(("line", "generations", 2), ((string?)result["kind"], (string?)result["optimization"]!["stepName"], (int)result["optimization"]!["steps"]!));
        var report = result["report"]!.AsArray();
        Assert.StartsWith("Searched ", (string?)report[0]!["text"], StringComparison.Ordinal);
        Assert.Equal(["", "buffers", "throughput"], report[1]!["headers"]!.AsArray().Select(h => (string?)h));
        Assert.Equal("best", (string?)report[1]!["rows"]![0]![0]);
        Assert.Matches(@"^\[\d+, \d+, \d+, \d+\]$", (string?)report[1]!["rows"]![0]![1]);
        Assert.Contains("against the baseline", (string?)report[2]!["text"], StringComparison.Ordinal);

        // And the CLI shows the stored run's report as doppel optimize prints it
        var shown = await DoppelProcess.RunAsync("runs", "show", "optimize-1", "--server", server.Server.HttpAddress!.ToString());
        Assert.True(shown.ExitCode == 0, shown.StdErr);
        Assert.Contains("Searched ", shown.StdOut, StringComparison.Ordinal);
        Assert.Matches(@"best\s+\[\d+, \d+, \d+, \d+\]", shown.StdOut);

        // And doppel optimize --server runs the search there as a run of its own, and prints the same report
        var file = Path.Combine(Repository.TempFolder(), "line.yaml");
        await File.WriteAllTextAsync(file, yaml.Replace("name: optimize-1", "name: optimize-2", StringComparison.Ordinal));
        var remote = await DoppelProcess.RunAsync("optimize", file, "--server", server.Server.HttpAddress!.ToString());
        Assert.True(remote.ExitCode == 0, remote.StdErr);
        Assert.Matches(@"best\s+\[\d+, \d+, \d+, \d+\]", remote.StdOut);
        Assert.Contains("against the baseline", remote.StdOut, StringComparison.Ordinal);
        Assert.Equal("optimization", (string?)(await server.SendOkAsync(HttpMethod.Get, "/doppel/runs/optimize-2"))["kind"]);

        // And a file without an optimize section, or a malformed flag, is refused with the reason
        using var nothing = await server.SendAsync(HttpMethod.Post, "/doppel/experiments?optimize=true", "line:\n  stations:\n    - { name: a, cycleTime: const(1) }\n  buffers: []\n", "application/yaml");
        Assert.Equal("Scenario file: optimize=true, but the file has no 'optimize' section that its kind (line) can search.", await AdtAssert.Error(nothing, 400, "InvalidArgument"));
        using var malformed = await server.SendAsync(HttpMethod.Post, "/doppel/experiments?optimize=yes", yaml, "application/yaml");
        Assert.Equal("optimize must be true or false, got 'yes'.", await AdtAssert.Error(malformed, 400, "InvalidArgument"));
    }

    [Fact]
    public async Task Unknown_runs_are_404_and_malformed_or_conflicting_requests_are_refused_with_the_reason()
    {
        using var unknown = await server.SendAsync(HttpMethod.Get, "/doppel/runs/nope");
        Assert.Equal("There is no run with id 'nope'.", await AdtAssert.Error(unknown, 404, "RunNotFound"));
        using var cancelUnknown = await server.SendAsync(HttpMethod.Post, "/doppel/runs/nope/cancel");
        await AdtAssert.Error(cancelUnknown, 404, "RunNotFound");
        using var deleteUnknown = await server.SendAsync(HttpMethod.Delete, "/doppel/runs/nope");
        await AdtAssert.Error(deleteUnknown, 404, "RunNotFound");

        var small = Scenarios.Experiment(2, 1000);
        using var badWait = await server.SendAsync(HttpMethod.Post, "/doppel/experiments?wait=later", small, "application/yaml");
        Assert.Equal("wait must be true or false, got 'later'.", await AdtAssert.Error(badWait, 400, "InvalidArgument"));
        using var badName = await server.SendAsync(HttpMethod.Post, "/doppel/experiments", Scenarios.Named("no spaces", small), "application/yaml");
        Assert.Contains("'no spaces' must be 1 to 100 letters", await AdtAssert.Error(badName, 400, "InvalidArgument"), StringComparison.Ordinal);
        using var nameNotText = await server.SendAsync(HttpMethod.Post, "/doppel/experiments", "name: [a, b]\n" + small, "application/yaml");
        Assert.Contains("'name' must be a non-empty text", await AdtAssert.Error(nameNotText, 400, "InvalidArgument"), StringComparison.Ordinal);
        using var notJson = await server.SendAsync(HttpMethod.Post, "/doppel/scenarios", "{\"line\":", "application/json");
        Assert.Contains("not valid JSON", await AdtAssert.Error(notJson, 400, "InvalidArgument"), StringComparison.Ordinal);

        await server.SendOkAsync(HttpMethod.Post, "/doppel/experiments", Scenarios.Named("taken", small), "application/yaml");
        using var taken = await server.SendAsync(HttpMethod.Post, "/doppel/experiments?wait=false", Scenarios.Named("taken", small), "application/yaml");
        Assert.Contains("'taken' already exists", await AdtAssert.Error(taken, 409, "RunAlreadyExists"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runs_page_with_a_nextLink()
    {
        foreach (var name in new[] { "page-a", "page-b", "page-c" })
        {
            await server.SendOkAsync(HttpMethod.Post, "/doppel/experiments", Scenarios.Named(name, Scenarios.Experiment(2, 1000)), "application/yaml");
        }

        var seen = new List<string>();
        string? next = "/doppel/runs";
        while (next is not null)
        {
            using var response = await server.SendAsync(HttpMethod.Get, next, configure: r => r.Headers.Add("max-items-per-page", "1"));
            var page = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Single(page["value"]!.AsArray());
            seen.Add((string)page["value"]![0]!["id"]!);
            next = (string?)page["nextLink"] is { } link ? new Uri(link).PathAndQuery : null;
        }

        Assert.Equal(seen.Distinct().Count(), seen.Count);
        var ours = seen.Where(s => s.StartsWith("page-", StringComparison.Ordinal)).ToList();
        Assert.Equal(["page-a", "page-b", "page-c"], ours);
    }

    [Fact]
    public async Task A_run_followed_as_events_reports_growing_progress_and_ends_with_its_result()
    {
        using var accepted = await server.SendAsync(HttpMethod.Post, "/doppel/experiments?wait=false", Scenarios.Named("events-1", Scenarios.Experiment(8, 3000)), "application/yaml");
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);

        var states = await RunEvents.AllAsync(server.Http, "events-1");

        // The stream ends by itself after the finished state, which carries the result; progress never goes back.
        Assert.Equal("succeeded", (string?)states[^1]["status"]);
        Assert.NotNull(states[^1]["result"]);
        Assert.All(states.SkipLast(1), r => Assert.Null(r["result"]));
        var completed = states.Select(r => (int)r["progress"]!["completed"]!).ToList();
        Assert.Equal(completed.Order(), completed);
        Assert.Equal(8 * 6, completed[^1]); // 8 replications of the sample's baseline and 5 what-ifs
        using var unknown = await server.SendAsync(HttpMethod.Get, "/doppel/runs/nobody/events");
        await AdtAssert.Error(unknown, 404, "RunNotFound");
    }

    private Task<JsonNode> GetRunAsync(string id) => server.SendOkAsync(HttpMethod.Get, $"/doppel/runs/{id}");

    private Task<JsonNode> WaitFinishedAsync(string id) =>
        RunEvents.UntilAsync(server.Http, id, r => !Unfinished.Contains((string?)r["status"]), $"run {id} to finish");
}
