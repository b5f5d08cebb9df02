namespace Doppel.IntegrationTests.Support;

/// <summary>Scenario files made from the shipped sample line, and the sample factory loaded into a server.</summary>
internal static class Scenarios
{
    private static readonly string SampleLine = File.ReadAllText(Path.Combine(Repository.Root, "samples", "factory", "line.yaml"));

    /// <summary>Six scenarios (the baseline and five what-ifs) about a minute of work on two cores: long enough to cancel or interrupt.</summary>
    public static string Long { get; } = Experiment(replications: 200, duration: 50_000);

    /// <summary>The sample line with its seed, its replications and its duration (the warm-up a tenth of it).</summary>
    public static string Experiment(int replications, int duration) => SampleLine
        .Replace("replications: 20", $"replications: {replications}", StringComparison.Ordinal)
        .Replace("duration: 50000", $"duration: {duration}", StringComparison.Ordinal)
        .Replace("warmup: 2000", $"warmup: {duration / 10}", StringComparison.Ordinal);

    /// <summary>The file with a top-level name, which becomes the run's id.</summary>
    public static string Named(string name, string yaml) => $"name: {name}\n{yaml}";

    /// <summary>Imports samples/factory/factory.ndjson (the line-1 twins) unless the server has it already.</summary>
    public static async Task ImportFactoryAsync(ServerFixture server)
    {
        if (server.Server.Runtime.Graph.TryGetTwin("line-1", out _))
        {
            return;
        }
        var factory = Path.Combine(Repository.TempFolder(), "factory.ndjson");
        File.Copy(Path.Combine(Repository.Root, "samples", "factory", "factory.ndjson"), factory);
        var imported = await DoppelProcess.RunAsync("import", factory, "--server", server.Server.HttpAddress!.ToString());
        Assert.True(imported.ExitCode == 0, imported.StdOut + imported.StdErr);
    }
}
