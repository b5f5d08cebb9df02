using System.Text.Json.Nodes;
using Doppel.IntegrationTests.Support;

namespace Doppel.IntegrationTests;

/// <summary><c>doppel detect</c> on files and <c>doppel detectors</c> against a real server, as a user runs them.</summary>
public sealed class AnomalyCliTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private string Url => server.Server.HttpAddress!.ToString().TrimEnd('/');

    [Fact]
    public async Task Detect_writes_one_result_row_per_input_row_in_input_order_even_where_timestamps_repeat_or_go_back()
    {
        var folder = Repository.TempFolder();
        var input = Path.Combine(folder, "series.csv");
        var rows = Enumerable.Range(0, 400).Select(i => $"2026-01-01 {i / 60 % 24:00}:{i % 60:00}:00,{(i == 300 ? 95 : 20 + i % 3)}").ToList();
        rows[200] = rows[199];                              // a repeated timestamp
        rows[250] = "2025-12-31 23:00:00,21";               // one going back
        await File.WriteAllLinesAsync(input, ["timestamp,value", .. rows]);
        var output = Path.Combine(folder, "results.csv");

        var (code, stdout, stderr) = await DoppelProcess.RunAsync("detect", input, "--detector", "mad", "--out", output);

        Assert.True(code == 0, stderr);
        Assert.Contains("Scored 400 rows with mad", stdout, StringComparison.Ordinal);
        var lines = await File.ReadAllLinesAsync(output);
        Assert.Equal("timestamp,value,anomaly_score", lines[0]);
        Assert.Equal(rows, lines.Skip(1).Select(l => string.Join(',', l.Split(',')[..2])));
        var scores = lines.Skip(1).Select(l => double.Parse(l.Split(',')[2], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.All(scores, s => Assert.InRange(s, 0, 1));
        Assert.Equal(300, scores.IndexOf(scores.Max()));
    }

    [Theory]
    [InlineData("timestamp,value\n2026-01-01 00:00:00,1\n2026-01-01 00:05:00,high\n", "line 3: 'high' is not a finite number")]
    [InlineData("timestamp,value\nyesterday,1\n", "line 2: 'yesterday' is not a timestamp")]
    [InlineData("time,reading\n2026-01-01 00:00:00,1\n", "line 1: the header 'time,reading' has no 'timestamp' column")]
    [InlineData("timestamp,value\n2026-01-01 00:00:00,1,2\n", "line 2: 3 fields where the header has 2")]
    [InlineData("", "line 1: the file is empty")]
    public async Task Detect_refuses_malformed_CSV_naming_the_line_and_why(string text, string expected)
    {
        var input = Path.Combine(Repository.TempFolder(), "bad.csv");
        await File.WriteAllTextAsync(input, text);
        var output = Path.Combine(Path.GetDirectoryName(input)!, "out.csv");

        var (code, _, stderr) = await DoppelProcess.RunAsync("detect", input, "--out", output);

        Assert.Equal(2, code);
        Assert.Contains($"bad.csv, {expected}", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task Detect_names_an_unknown_detector_and_a_missing_file()
    {
        var (code, _, stderr) = await DoppelProcess.RunAsync("detect", "nope.csv", "--detector", "ensembel");
        Assert.Equal(2, code);
        Assert.Contains("did you mean 'ensemble'?", stderr, StringComparison.Ordinal);
        (code, _, stderr) = await DoppelProcess.RunAsync("detect", "nope.csv");
        Assert.Equal(2, code);
        Assert.Contains("nope.csv: no such file", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Detectors_are_put_listed_shown_and_deleted_from_the_command_line()
    {
        var ns = "dtmi:anomalycli:t" + Guid.NewGuid().ToString("N")[..8];
        await server.PutModelsAsync($$"""[{"@context":"dtmi:dtdl:context;3","@id":"{{ns}}:Fan;1","@type":"Interface","contents":[{"@type":"Telemetry","name":"rpm","schema":"double"}]}]""");
        var id = "fan-" + ns[^8..];

        var put = await DoppelProcess.RunAsync("detectors", "put", id, "--model", $"{ns}:Fan;1", "--property", "rpm", "--detector", "seasonal", "--threshold", "0.8", "--server", Url);
        Assert.True(put.ExitCode == 0, put.StdErr);
        Assert.Contains($"Detector '{id}' created: seasonal on rpm -> rpmAnomalyScore, alert at 0.8 (warning).", put.StdOut, StringComparison.Ordinal);

        var list = await DoppelProcess.RunAsync("detectors", "list", "--json", "--server", Url);
        Assert.Contains(id, JsonNode.Parse(list.StdOut)!.AsArray().Select(d => (string)d!["id"]!));
        var show = await DoppelProcess.RunAsync("detectors", "show", id, "--server", Url);
        Assert.Equal($"{ns}:Fan;1", (string)JsonNode.Parse(show.StdOut)!["scope"]!["model"]!);

        var bad = await DoppelProcess.RunAsync("detectors", "put", id, "--model", $"{ns}:Fan;1", "--property", "rpm", "--threshold", "0", "--server", Url);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("threshold", bad.StdErr, StringComparison.Ordinal);

        Assert.Equal(0, (await DoppelProcess.RunAsync("detectors", "delete", id, "--server", Url)).ExitCode);
        Assert.NotEqual(0, (await DoppelProcess.RunAsync("detectors", "show", id, "--server", Url)).ExitCode);
    }
}
