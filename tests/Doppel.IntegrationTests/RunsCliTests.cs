using System.Text.Json.Nodes;
using Doppel.IntegrationTests.Support;

namespace Doppel.IntegrationTests;

/// <summary>`doppel simulate FILE --server` and `doppel runs ...`, as a user runs them, against a server of this class's own.</summary>
public sealed class RunsCliTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private string Url => server.Server.HttpAddress!.ToString();

    [Fact]
    public async Task A_scenario_file_run_on_the_server_gives_the_result_of_a_local_run_with_the_same_overrides()
    {
        var file = Write("overrides.yaml", Scenarios.Experiment(replications: 20, duration: 4000));

        var local = await DoppelProcess.RunAsync("simulate", file, "--replications", "3", "--seed", "9", "--json");
        var remote = await DoppelProcess.RunAsync("simulate", file, "--replications", "3", "--seed", "9", "--json", "--server", Url);

        Assert.True(local.ExitCode == 0, local.StdErr);
        Assert.True(remote.ExitCode == 0, remote.StdErr);
        var expected = JsonNode.Parse(local.StdOut)!;
        Assert.All(expected["scenarios"]!.AsArray(), s => Assert.Equal(3, (int)s!["replications"]!));
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(remote.StdOut)), remote.StdOut);
    }

    [Fact]
    public async Task A_run_is_listed_shown_with_the_table_simulate_printed_and_deleted()
    {
        var file = Write("study.yaml", Scenarios.Named("cli-study", Scenarios.Experiment(replications: 3, duration: 3000)));

        var simulated = await DoppelProcess.RunAsync("simulate", file, "--server", Url);
        var listed = await DoppelProcess.RunAsync("runs", "list", "--server", Url);
        var shown = await DoppelProcess.RunAsync("runs", "show", "cli-study", "--server", Url);
        var deleted = await DoppelProcess.RunAsync("runs", "delete", "cli-study", "--server", Url);
        var missing = await DoppelProcess.RunAsync("runs", "show", "cli-study", "--server", Url);

        Assert.True(simulated.ExitCode == 0, simulated.StdErr);
        Assert.Contains("3 replications of 3000 time units (warm-up 300), seed 1", simulated.StdOut, StringComparison.Ordinal);
        var table = simulated.StdOut[simulated.StdOut.IndexOf("scenario", StringComparison.Ordinal)..];
        Assert.Contains("faster-paint", table, StringComparison.Ordinal);
        Assert.Contains("(6 scenarios)", table, StringComparison.Ordinal);
        Assert.True(listed.ExitCode == 0, listed.StdErr);
        Assert.Matches(@"cli-study\s+experiment\s+succeeded\s+18/18", listed.StdOut);
        Assert.True(shown.ExitCode == 0, shown.StdErr);
        Assert.StartsWith("Run cli-study (experiment) succeeded: 18/18 replications", shown.StdOut, StringComparison.Ordinal);
        Assert.Contains(table, shown.StdOut, StringComparison.Ordinal);
        Assert.True(deleted.ExitCode == 0, deleted.StdErr);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("RunNotFound: There is no run with id 'cli-study'.", missing.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runs_cancel_stops_a_long_run_and_runs_show_wait_follows_one_to_its_end()
    {
        await server.SendOkAsync(HttpMethod.Post, "/doppel/experiments?wait=false", Scenarios.Named("cli-long", Scenarios.Long), "application/yaml");
        await server.SendOkAsync(HttpMethod.Post, "/doppel/experiments?wait=false", Scenarios.Named("cli-short", Scenarios.Experiment(2, 2000)), "application/yaml");

        var cancelled = await DoppelProcess.RunAsync("runs", "cancel", "cli-long", "--server", Url);
        var again = await DoppelProcess.RunAsync("runs", "cancel", "cli-long", "--server", Url);
        var followed = await DoppelProcess.RunAsync("runs", "show", "cli-short", "--wait", "--server", Url);

        Assert.True(cancelled.ExitCode == 0, cancelled.StdErr);
        Assert.StartsWith("Run cli-long (experiment) cancelled", cancelled.StdOut, StringComparison.Ordinal);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("RunAlreadyFinished: Run 'cli-long' has already finished (cancelled)", again.StdErr, StringComparison.Ordinal);
        Assert.True(followed.ExitCode == 0, followed.StdErr);
        Assert.StartsWith("Run cli-short (experiment) succeeded: 12/12 replications", followed.StdOut, StringComparison.Ordinal);
        Assert.Contains("(6 scenarios)", followed.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_fork_starts_at_a_time_given_in_any_form_every_command_takes_relative_ones_included()
    {
        await server.SendOkAsync(HttpMethod.Post, "/doppel/samples/factory/load");
        string[] run = ["--replications", "2", "--duration", "200", "--warmup", "20", "--json", "--server", Url];

        var before = DateTimeOffset.UtcNow;
        var relative = await DoppelProcess.RunAsync(["simulate", "--twin", "line-1", "--at", "-1h", .. run]);
        var after = DateTimeOffset.UtcNow;
        var absolute = await DoppelProcess.RunAsync(["simulate", "--twin", "line-1", "--at", "2024-05-01T12:00:00+02:00", .. run]);
        var malformed = await DoppelProcess.RunAsync(["simulate", "--twin", "line-1", "--at", "yesterday", .. run]);
        var withoutTwin = await DoppelProcess.RunAsync("simulate", Path.Combine(Repository.Root, "samples", "factory", "line.yaml"), "--at", "-1h");

        Assert.True(relative.ExitCode == 0, relative.StdErr);
        var start = DateTimeOffset.Parse((string)JsonNode.Parse(relative.StdOut)!["start"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(start, before.AddHours(-1), after.AddHours(-1));
        Assert.True(absolute.ExitCode == 0, absolute.StdErr);
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 10, 0, 0, TimeSpan.Zero), DateTimeOffset.Parse((string)JsonNode.Parse(absolute.StdOut)!["start"]!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal((2, $"doppel: --at: 'yesterday' is not a time; use {Doppel.Cli.Input.TimeInput.Forms}. See 'doppel simulate --help'."), (malformed.ExitCode, malformed.StdErr.Trim()));
        Assert.Equal((2, "doppel: --at is where a fork of a live twin starts; give --twin ID with it."), (withoutTwin.ExitCode, withoutTwin.StdErr.Trim()));
    }

    private static string Write(string name, string text)
    {
        var path = Path.Combine(Repository.TempFolder(), name);
        File.WriteAllText(path, text);
        return path;
    }
}
