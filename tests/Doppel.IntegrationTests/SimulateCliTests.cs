using System.Text.Json.Nodes;
using Doppel.IntegrationTests.Support;

namespace Doppel.IntegrationTests;

/// <summary>`doppel simulate` on the shipped sample line, as a user runs it.</summary>
public sealed class SimulateCliTests
{
    [Fact]
    public async Task The_sample_line_runs_and_its_what_ifs_are_compared_with_the_baseline()
    {
        var sample = Path.Combine(Repository.Root, "samples", "factory", "line.yaml");

        var (exit, stdout, stderr) = await DoppelProcess.RunAsync("simulate", sample, "--replications", "6", "--json");

        Assert.True(exit == 0, stderr);
        var scenarios = JsonNode.Parse(stdout)!["scenarios"]!.AsArray();
        Assert.Equal(["baseline", "bigger-buffers", "faster-paint", "better-weld"], scenarios.Select(s => (string?)s!["name"]));
        Assert.Equal("paint", (string?)scenarios[0]!["bottleneck"]);
        var fasterPaint = scenarios[2]!["throughputVsBaseline"]!;
        Assert.True((bool)fasterPaint["significant"]! && (double)fasterPaint["difference"]! > 0, fasterPaint.ToJsonString());
        Assert.All(scenarios, s => Assert.Equal(6, (int)s!["replications"]!));
    }

    [Fact]
    public async Task A_malformed_scenario_file_is_a_usage_error_with_the_line()
    {
        var file = Path.Combine(Repository.TempFolder(), "bad.yaml");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, "line:\n  stations:\n    - name: a\n      cycleTime: sometimes\n  buffers: []\n");

        var (exit, _, stderr) = await DoppelProcess.RunAsync("simulate", file);

        Assert.Equal(2, exit);
        Assert.Contains("line 4", stderr, StringComparison.Ordinal);
    }
}
