using Doppel.IntegrationTests.Support;

namespace Doppel.IntegrationTests;

/// <summary>doppel import and doppel generate rec, as a user runs them, against a server of this class's own.</summary>
public sealed class ImportCliTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static readonly string RecSubset = Repository.TestData("dtdl", "rec-v3-subset");

    [Theory]
    [InlineData(0.0, "[----------]   0%")]
    [InlineData(0.5, "[#####-----]  50%")]
    [InlineData(0.987, "[##########]  99%")]
    [InlineData(1.7, "[##########] 100%")]
    [InlineData(double.NaN, "[----------]   0%")]
    public void The_progress_bar_fills_with_the_fraction_done(double fraction, string expected) =>
        Assert.Equal(expected, Doppel.Cli.Commands.ImportCommand.ProgressBar(fraction, 10));

    [Fact]
    public async Task Doppel_import_prints_a_summary_and_exits_0_on_success_1_on_a_failed_job_2_on_usage_errors()
    {
        var folder = Repository.TempFolder();
        var input = Path.Combine(folder, "small.ndjson");
        File.Copy(Path.Combine(Repository.Root, "tests", "Doppel.IntegrationTests", "Data", "import", "small.ndjson"), input);

        var ok = await DoppelProcess.RunAsync("import", input, "--server", server.Server.HttpAddress!.ToString(), "--job-id", "cli-1");
        Assert.True(ok.ExitCode == 0, ok.StdOut + ok.StdErr);
        Assert.Contains("Import job cli-1 succeeded", ok.StdOut);
        Assert.Contains("2 models, 3 twins", ok.StdOut);
        Assert.Contains("2 relationships, 0 errors", ok.StdOut);
        Assert.True(File.Exists(Path.Combine(folder, "small.log.ndjson")));

        var broken = Path.Combine(folder, "broken.ndjson");
        File.WriteAllText(broken, "{\"fileVersion\":\"1.0.0\"}\n");
        var failed = await DoppelProcess.RunAsync("import", broken, "--server", server.Server.HttpAddress!.ToString());
        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("failed", failed.StdOut);
        Assert.Contains("Header", failed.StdErr);

        var missing = await DoppelProcess.RunAsync("import", Path.Combine(folder, "nope.ndjson"), "--server", server.Server.HttpAddress!.ToString());
        Assert.Equal(2, missing.ExitCode);
        var noFile = await DoppelProcess.RunAsync("import");
        Assert.Equal(2, noFile.ExitCode);
    }

    [Fact]
    public async Task The_rec_generator_is_deterministic_under_a_seed_and_its_output_imports_without_errors()
    {
        var folder = Repository.TempFolder();
        var first = Path.Combine(folder, "a.ndjson");
        var second = Path.Combine(folder, "b.ndjson");
        var other = Path.Combine(folder, "c.ndjson");
        foreach (var (file, seed) in new[] { (first, "7"), (second, "7"), (other, "8") })
        {
            var generated = await DoppelProcess.RunAsync("generate", "rec", "--twins", "900", "--seed", seed, "--out", file, "--models", RecSubset);
            Assert.True(generated.ExitCode == 0, generated.StdOut + generated.StdErr);
        }
        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));
        Assert.NotEqual(File.ReadAllBytes(first), File.ReadAllBytes(other));

        var imported = await DoppelProcess.RunAsync("import", first, "--server", server.Server.HttpAddress!.ToString());
        Assert.True(imported.ExitCode == 0, imported.StdOut + imported.StdErr);
        Assert.Contains("900 twins", imported.StdOut);
        Assert.Contains(" 0 errors", imported.StdOut);
        var rooms = await server.SendOkAsync(HttpMethod.Post, "/query", """{"query":"SELECT COUNT() FROM DIGITALTWINS WHERE IS_OF_MODEL('dtmi:digitaltwins:rec_3_3:core:Space;1')"}""");
        Assert.True((int)rooms["value"]![0]!["COUNT"]! > 200);
    }
}
