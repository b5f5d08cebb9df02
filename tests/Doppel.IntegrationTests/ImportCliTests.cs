using Doppel.IntegrationTests.Support;
using Doppel.Server.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace Doppel.IntegrationTests;

/// <summary>doppel import and doppel generate rec, as a user runs them, against a server of this class's own.</summary>
public sealed class ImportCliTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static readonly string RecSubset = Repository.TestData("dtdl", "rec-v3-subset");

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
    public async Task Doppel_import_prints_each_failed_line_with_its_line_in_the_file_and_exits_1()
    {
        var folder = Repository.TempFolder();
        var input = Path.Combine(folder, "mixed.ndjson");
        // Blank lines where people leave them, a model with an error, a twin of the wrong type, one cut short.
        File.WriteAllText(input, """

            {"Section": "Header"}

            {"fileVersion": "1.0.0"}
            {"Section": "Models"}
            {"@context":"dtmi:dtdl:context;3","@id":"dtmi:cli:mixed:Pump;1","@type":"Interface","contents":[{"@type":"Property","name":"speed","schema":"double"}]}
            {"@context":"dtmi:dtdl:context;3","@id":"dtmi:cli:mixed:Bad;1","@type":"Interface","contents":[{"@type":"Property","name":"speed","schema":"doubel"}]}
            {"Section": "Twins"}
            {"$dtId":"mixed-1","$metadata":{"$model":"dtmi:cli:mixed:Pump;1"},"speed":1.5}

            {"$dtId":"mixed-2","$metadata":{"$model":"dtmi:cli:mixed:Pump;1"},"speed":"fast"}
            {"$dtId":"mixed-3","$metadata":{"$model":"dtmi:cli:mixed:Pump;1"},"speed":
            """.Replace("\n", "\r\n", StringComparison.Ordinal));

        var run = await DoppelProcess.RunAsync("import", input, "--server", server.Server.HttpAddress!.ToString(), "--job-id", "cli-mixed");

        Assert.True(run.ExitCode == 1, run.StdOut + run.StdErr);
        Assert.Contains("Import job cli-mixed succeeded", run.StdOut, StringComparison.Ordinal);
        Assert.Contains("0 models, 0 twins", run.StdOut, StringComparison.Ordinal); // the model set is all or nothing
        Assert.Equal(
            string.Join('\n',
            [
                $"doppel: {input}:7: DTDLParserError: $.contents[0].schema: unknown-schema: 'doubel' is not a DTDL v3 primitive schema or a schema DTMI; expected one of boolean, date, dateTime, double, duration, float, integer, long, string, time, point, lineString, polygon, multiPoint, multiLineString, multiPolygon or a DTMI",
                $"doppel: {input}:9: ModelNotFound: Model 'dtmi:cli:mixed:Pump;1' is not found.",
                $"doppel: {input}:11: ModelNotFound: Model 'dtmi:cli:mixed:Pump;1' is not found.",
                $"doppel: {input}:12: InvalidArgument: Not valid JSON at column 75: the JSON ends before every object and array is closed (is it cut short?).",
            ]),
            string.Join('\n', run.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
    }

    [Fact]
    public async Task Ctrl_C_on_doppel_import_cancels_the_job_on_the_server_and_exits_130()
    {
        // The input is a named pipe: the job reads what the test writes, and waits for more, until the test closes it.
        var folder = Repository.TempFolder();
        var input = Path.Combine(folder, "slow.ndjson");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [input]))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }
        await using var import = DoppelProcess.Start("import", input, "--server", server.Server.HttpAddress!.ToString(), "--job-id", "cli-interrupted");
        Task<int> interrupted;
        // Opening the pipe to write waits until the job has opened it to read: then the job runs.
        await using (var writer = await Task.Run(() => new StreamWriter(input)).WaitAsync(TimeSpan.FromMinutes(1)))
        {
            await writer.WriteAsync("{\"Section\": \"Header\"}\n{\"fileVersion\": \"1.0.0\"}\n{\"Section\": \"Twins\"}\n");
            await writer.FlushAsync();
            var job = server.Server.Services.GetRequiredService<ImportJobs>().Get("cli-interrupted")!;
            Assert.Equal("running", job.Status);

            interrupted = import.InterruptAsync();
            await import.WaitForLineAsync(line => line.Contains("asked the server to cancel import job cli-interrupted", StringComparison.Ordinal));
            Assert.Equal("cancelling", job.Status);
        }
        // The pipe is closed: the job reads its end, sees it was cancelled, and stops; doppel waits for that.
        Assert.Equal(130, await interrupted);
        Assert.Equal("cancelled", server.Server.Services.GetRequiredService<ImportJobs>().Get("cli-interrupted")!.Status);
        Assert.Contains("import job cli-interrupted cancelled: 0 models, 0 twins and 0 relationships were imported before it stopped", import.Output, StringComparison.Ordinal);
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
