using System.Text.Json.Nodes;
using Doppel.IntegrationTests.Support;
using DuckDB.NET.Data;

namespace Doppel.IntegrationTests;

/// <summary>History through the real server: telemetry and property changes recorded, read, aggregated, exported, trimmed, and from the CLI.</summary>
public sealed class HistoryApiTests(ServerFixture server) : IClassFixture<ServerFixture>, IAsyncLifetime
{
    private readonly string _ns = "dtmi:history:t" + Guid.NewGuid().ToString("N")[..8];

    private string Id(string name) => $"{name}-{_ns[^8..]}";

    public async Task InitializeAsync()
    {
        await server.PutModelsAsync($$"""
            [{"@context":"dtmi:dtdl:context;3","@id":"{{_ns}}:Pump;1","@type":"Interface",
              "contents":[{"@type":"Telemetry","name":"flow","schema":"double"},
                          {"@type":"Telemetry","name":"state","schema":"string"},
                          {"@type":"Property","name":"setpoint","schema":"double","writable":true},
                          {"@type":"Property","name":"running","schema":"boolean","writable":true}]}]
            """);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<string> PumpAsync(string name)
    {
        var id = Id(name);
        await server.SendOkAsync(HttpMethod.Put, $"/digitaltwins/{id}", $$"""{"$metadata":{"$model":"{{_ns}}:Pump;1"},"setpoint":10,"running":true}""");
        return id;
    }

    private async Task SendTelemetryAsync(string id, string body, string messageId, string? sourceTime = null)
    {
        using var response = await server.SendAsync(HttpMethod.Post, $"/digitaltwins/{id}/telemetry", body, configure: r =>
        {
            r.Headers.Add("Message-Id", messageId);
            if (sourceTime is not null)
            {
                r.Headers.Add("Telemetry-Source-Time", sourceTime);
            }
        });
        Assert.Equal(204, (int)response.StatusCode);
    }

    [Fact]
    public async Task Telemetry_and_property_changes_are_in_history_once_each_in_time_order()
    {
        var id = await PumpAsync("p1");
        await server.SendOkAsync(HttpMethod.Patch, $"/digitaltwins/{id}", """[{"op":"replace","path":"/setpoint","value":12.5}]""", "application/json-patch+json");
        await SendTelemetryAsync(id, """{"flow":3.5,"state":"ok"}""", "m1", "2026-03-01T10:00:00Z");
        await SendTelemetryAsync(id, """{"flow":3.5,"state":"ok"}""", "m1", "2026-03-01T10:00:00Z"); // a retry: stored once
        await SendTelemetryAsync(id, """{"flow":4.5}""", "m2", "2026-03-01T09:00:00Z"); // late, earlier source time
        using var invalid = await server.SendAsync(HttpMethod.Post, $"/digitaltwins/{id}/telemetry", """{"flow":"fast"}""", configure: r => r.Headers.Add("Message-Id", "m3"));
        Assert.Equal(400, (int)invalid.StatusCode);

        var telemetry = await server.SendOkAsync(HttpMethod.Get, $"/doppel/history/twins/{id}?from=2026-01-01T00:00:00Z&to=2026-06-01T00:00:00Z");
        Assert.Equal(
            ["flow=4.5@2026-03-01T09:00:00.0000000Z", "flow=3.5@2026-03-01T10:00:00.0000000Z", "state=\"ok\"@2026-03-01T10:00:00.0000000Z"],
            telemetry["value"]!.AsArray().Select(p => $"{p!["name"]}={p["value"]!.ToJsonString()}@{p["time"]}"));

        var setpoints = await server.SendOkAsync(HttpMethod.Get, $"/doppel/history/twins/{id}?names=setpoint,running");
        Assert.Equal(["setpoint=10", "running=true", "setpoint=12.5"],
            setpoints["value"]!.AsArray().Select(p => $"{p!["name"]}={p["value"]!.ToJsonString()}"));
        Assert.All(setpoints["value"]!.AsArray(), p => Assert.Equal("property", (string?)p!["kind"]));
    }

    [Fact]
    public async Task A_twin_at_a_past_time_is_the_newest_value_of_each_series_then()
    {
        var id = await PumpAsync("at");
        await SendTelemetryAsync(id, """{"flow":1.5,"state":"ok"}""", "a1", "2026-03-01T09:00:00Z");
        await SendTelemetryAsync(id, """{"flow":2.5}""", "a2", "2026-03-01T10:00:00Z");
        await SendTelemetryAsync(id, """{"flow":9.5,"state":"stalled"}""", "a3", "2026-03-01T11:00:00Z");

        var at = await server.SendOkAsync(HttpMethod.Get, $"/doppel/history/twins/{id}/at?time=2026-03-01T10:30:00Z&names=flow,state");

        Assert.Equal(["flow=2.5@2026-03-01T10:00:00.0000000Z", "state=\"ok\"@2026-03-01T09:00:00.0000000Z"],
            at["value"]!.AsArray().Select(p => $"{p!["name"]}={p["value"]!.ToJsonString()}@{p["time"]}").Order(StringComparer.Ordinal));
        var cli = await DoppelProcess.RunAsync("history", "at", id, "2026-03-01T10:30:00Z", "--json", "--server", server.Server.HttpAddress!.ToString());
        Assert.True(cli.ExitCode == 0, cli.StdErr);
        Assert.Equal([2.5], JsonNode.Parse(cli.StdOut)!.AsArray().Where(p => (string?)p!["name"] == "flow").Select(p => (double)p!["value"]!));
        using var missing = await server.SendAsync(HttpMethod.Get, $"/doppel/history/twins/{id}/at");
        Assert.Equal(400, (int)missing.StatusCode);
        Assert.Contains("'time'", (string)JsonNode.Parse(await missing.Content.ReadAsStringAsync())!["error"]!["message"]!, StringComparison.Ordinal);
        using var malformed = await server.SendAsync(HttpMethod.Get, $"/doppel/history/twins/{id}/at?time=yesterday");
        Assert.Equal(400, (int)malformed.StatusCode);
        Assert.Contains("'yesterday' is not an RFC 3339 date-time", (string)JsonNode.Parse(await malformed.Content.ReadAsStringAsync())!["error"]!["message"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_follow_nextLink_and_aggregates_cover_twins_chosen_by_a_query()
    {
        var a = await PumpAsync("agg-a");
        var b = await PumpAsync("agg-b");
        for (var i = 0; i < 6; i++)
        {
            await SendTelemetryAsync(a, $$"""{"flow":{{i}}}""", $"a{i}", $"2026-03-02T00:{i * 10:D2}:00Z");
            await SendTelemetryAsync(b, $$"""{"flow":{{10 * i}}}""", $"b{i}", $"2026-03-02T00:{i * 10:D2}:00Z");
        }

        using var first = await server.SendAsync(HttpMethod.Get, $"/doppel/history/twins/{a}?names=flow", configure: r => r.Headers.Add("max-items-per-page", "4"));
        var page = JsonNode.Parse(await first.Content.ReadAsStringAsync())!;
        Assert.Equal(4, page["value"]!.AsArray().Count);
        var rest = await server.SendOkAsync(HttpMethod.Get, new Uri((string)page["nextLink"]!).PathAndQuery);
        Assert.Equal([4.0, 5.0], rest["value"]!.AsArray().Select(p => (double)p!["value"]!));
        Assert.Null(rest["nextLink"]);

        var query = Uri.EscapeDataString($"SELECT T FROM DIGITALTWINS T WHERE IS_OF_MODEL(T, '{_ns}:Pump;1') AND STARTSWITH(T.$dtId, 'agg-')");
        var aggregates = await server.SendOkAsync(HttpMethod.Get,
            $"/doppel/history/aggregates?query={query}&names=flow&bucket=30m&aggregates=avg,max,count,last&from=2026-03-02T00:00:00Z&to=2026-03-03T00:00:00Z");
        Assert.Equal(
            [$"{a} 00:00 avg=1 max=2 count=3 last=2", $"{a} 00:30 avg=4 max=5 count=3 last=5", $"{b} 00:00 avg=10 max=20 count=3 last=20", $"{b} 00:30 avg=40 max=50 count=3 last=50"],
            aggregates["value"]!.AsArray().Select(r => $"{r!["twinId"]} {DateTimeOffset.Parse((string)r["start"]!, System.Globalization.CultureInfo.InvariantCulture):HH:mm} avg={r["avg"]} max={r["max"]} count={r["count"]} last={r["last"]}"));

        using var badBucket = await server.SendAsync(HttpMethod.Get, "/doppel/history/aggregates?bucket=soon");
        await AdtAssert.Error(badBucket, 400, "InvalidArgument");
        using var badAggregate = await server.SendAsync(HttpMethod.Get, "/doppel/history/aggregates?bucket=1h&aggregates=median");
        await AdtAssert.Error(badAggregate, 400, "InvalidArgument");
        using var badRange = await server.SendAsync(HttpMethod.Get, $"/doppel/history/twins/{a}?from=2026-03-03T00:00:00Z&to=2026-03-02T00:00:00Z");
        await AdtAssert.Error(badRange, 400, "InvalidArgument");
    }

    [Fact]
    public async Task The_cli_prints_history_and_exports_it_to_parquet()
    {
        var id = await PumpAsync("cli");
        await SendTelemetryAsync(id, """{"flow":7.25}""", "c1", "2026-03-03T08:00:00Z");
        await SendTelemetryAsync(id, """{"flow":8.75}""", "c2", "2026-03-03T08:20:00Z");
        var address = server.Server.HttpAddress!.ToString();

        var (code, stdout, stderr) = await DoppelProcess.RunAsync("history", "get", id, "--name", "flow", "--server", address);
        Assert.True(code == 0, stderr);
        Assert.Contains("7.25", stdout, StringComparison.Ordinal);
        Assert.Contains("2026-03-03T08:20:00.000Z", stdout, StringComparison.Ordinal); // tables print times in UTC to the millisecond

        (code, stdout, stderr) = await DoppelProcess.RunAsync("history", "aggregate", "--twin", id, "--name", "flow", "--bucket", "1h", "--aggregates", "avg,count", "--server", address, "--json");
        Assert.True(code == 0, stderr);
        var rows = JsonNode.Parse(stdout)!.AsArray();
        Assert.Equal(8.0, (double)Assert.Single(rows)!["avg"]!);

        var file = Path.Combine(Repository.TempFolder(), "flow.parquet");
        (code, stdout, stderr) = await DoppelProcess.RunAsync("history", "export", file, "--twin", id, "--server", address);
        Assert.True(code == 0, stderr);
        Assert.Contains("Exported 4 points", stdout, StringComparison.Ordinal); // setpoint, running and two flows
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT sum(num) FROM read_parquet('{file}') WHERE name = 'flow'";
        Assert.Equal(16.0, (double)command.ExecuteScalar()!);

        (code, _, stderr) = await DoppelProcess.RunAsync("history", "retention", "--server", address);
        Assert.NotEqual(0, code);
        Assert.Contains("exactly one of 'before'", stderr, StringComparison.Ordinal);
    }
}
