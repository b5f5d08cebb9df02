using Doppel.IntegrationTests.Support;

namespace Doppel.IntegrationTests;

/// <summary>
/// The output of the simulation commands and the pack listings, pinned in Snapshots/*.txt. Results under a fixed seed
/// are deterministic, so they are pinned exactly: the sample line here and on a server (which print the same tables),
/// a maintenance optimization, the packs and samples a server has. A server of this class's own, so that the runs it
/// keeps do not change what CliSnapshotTests pins.
/// </summary>
public sealed class CliSimulationSnapshotTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static readonly string[] Line = ["simulate", "samples/factory/line.yaml", "--replications", "3", "--duration", "5000", "--warmup", "500", "--seed", "1"];

    private string Url => server.Server.HttpAddress!.ToString();

    [Fact]
    public async Task Simulate_the_sample_line_here_and_on_a_server_prints_the_same_tables()
    {
        var local = await RunAsync(Line);
        var remote = await RunAsync([.. Line, "--server", Url]);

        Match("simulate-line", Line, local);
        Match("simulate-line-server", [.. Line, "--server", Url], remote);
        Assert.Equal(local.StdOut, remote.StdOut);
    }

    [Fact]
    public Task Optimize_a_maintenance_interval() => MatchAsync("optimize-maintenance", "optimize", "samples/factory/maintenance.yaml");

    [Fact]
    public Task Packs_list() => MatchAsync("packs-list", "packs", "list", "--server", Url);

    [Fact]
    public Task Samples_list() => MatchAsync("samples-list", "samples", "list", "--server", Url);

    private async Task MatchAsync(string name, params string[] args) => Match(name, args, await RunAsync(args));

    /// <summary>Runs doppel with paths under samples/ given from the repository's root, and shown as typed there.</summary>
    private static Task<(int ExitCode, string StdOut, string StdErr)> RunAsync(string[] args) =>
        DoppelProcess.RunAsync([.. args.Select(a => a.StartsWith("samples/", StringComparison.Ordinal) ? Path.Combine(Repository.Root, a) : a)]);

    private static void Match(string name, string[] args, (int ExitCode, string StdOut, string StdErr) run) =>
        Snapshot.Match(name, Snapshot.Of(args, run).Replace(Repository.Root + Path.DirectorySeparatorChar, "", StringComparison.Ordinal));
}
