using System.Globalization;
using Doppel.IntegrationTests.Support;

namespace Doppel.IntegrationTests;

/// <summary>`doppel history` as a user runs it: relative times (-1h, now-2d) and --limit.</summary>
public sealed class HistoryCliTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task History_get_reads_from_a_relative_time_and_stops_at_the_limit()
    {
        await server.PutModelsAsync("""
            [{"@context":"dtmi:dtdl:context;3","@id":"dtmi:cli:hist:Oven;1","@type":"Interface","contents":[{"@type":"Telemetry","name":"temperature","schema":"double"}]}]
            """);
        await server.SendOkAsync(HttpMethod.Put, "/digitaltwins/oven-1", """{"$metadata":{"$model":"dtmi:cli:hist:Oven;1"}}""");
        var now = DateTimeOffset.UtcNow;
        var file = Path.Combine(Repository.TempFolder(), "points.ndjson");
        // Two hours ago, then three points within the last hour.
        File.WriteAllLines(file, new[] { (120, 10.0), (40, 20.0), (30, 30.0), (20, 40.0) }.Select(p =>
            $$$"""{"twinId":"oven-1","time":"{{{now.AddMinutes(-p.Item1).ToString("O", CultureInfo.InvariantCulture)}}}","values":{"temperature":{{{p.Item2.ToString(CultureInfo.InvariantCulture)}}}}}"""));
        var url = server.Server.HttpAddress!.ToString();
        var loaded = await DoppelProcess.RunAsync("history", "backfill", file, "--server", url);
        Assert.True(loaded.ExitCode == 0, loaded.StdErr);

        var lastHour = await DoppelProcess.RunAsync("history", "get", "oven-1", "--from", "-1h", "--server", url);
        var firstTwo = await DoppelProcess.RunAsync("history", "get", "oven-1", "--from", "now-1h", "--to", "now", "--limit", "2", "--server", url);
        var badTime = await DoppelProcess.RunAsync("history", "get", "oven-1", "--from", "yesterday", "--server", url);

        Assert.True(lastHour.ExitCode == 0, lastHour.StdErr);
        Assert.Equal(["20", "30", "40"], Values(lastHour.StdOut));
        Assert.EndsWith("(3 points)", lastHour.StdOut.Trim(), StringComparison.Ordinal);
        Assert.True(firstTwo.ExitCode == 0, firstTwo.StdErr);
        Assert.Equal(["20", "30"], Values(firstTwo.StdOut));
        Assert.Equal(2, badTime.ExitCode);
        Assert.Equal("doppel: --from: 'yesterday' is not a time; use RFC 3339 (2024-05-01T12:00:00Z), a date (2024-05-01), 'now', or an offset from now such as -1h, -15m, now-2d. See 'doppel history get --help'.", badTime.StdErr.Trim());
    }

    /// <summary>The value column of a history table.</summary>
    private static List<string> Values(string table) =>
        [.. table.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Where(l => !l.StartsWith('(')).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1])];
}
