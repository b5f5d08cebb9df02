using System.Text.Json.Nodes;
using Doppel.IntegrationTests.Support;

namespace Doppel.IntegrationTests;

/// <summary><c>doppel rules</c> and <c>doppel alerts</c> as a user runs them against a real server.</summary>
public sealed class RulesCliTests(ServerFixture server) : IClassFixture<ServerFixture>, IAsyncLifetime
{
    private readonly string _ns = "dtmi:rulescli:t" + Guid.NewGuid().ToString("N")[..8];

    private string Url => server.Server.HttpAddress!.ToString().TrimEnd('/');

    public async Task InitializeAsync() => await server.PutModelsAsync($$"""
        [{"@context":"dtmi:dtdl:context;3","@id":"{{_ns}}:Oven;1","@type":"Interface",
          "contents":[{"@type":"Telemetry","name":"temperature","schema":"double"}]}]
        """);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_rule_put_from_YAML_raises_an_alert_that_is_listed_acknowledged_resolved_and_watched()
    {
        var oven = "oven-" + _ns[^8..];
        await server.SendOkAsync(HttpMethod.Put, $"/digitaltwins/{oven}", $$$"""{"$metadata":{"$model":"{{{_ns}}}:Oven;1"}}""");
        var file = Path.Combine(Repository.TempFolder(), "hot.yaml");
        await File.WriteAllTextAsync(file, $"""
            description: the oven runs hot
            scope:
              model: "{_ns}:Oven;1"
            condition: temperature > 250
            severity: critical
            message: "{"{twinId}"} at {"{value}"}"
            """);

        var put = await DoppelProcess.RunAsync("rules", "put", "hot-" + _ns[^8..], file, "--server", Url);
        Assert.True(put.ExitCode == 0, put.StdErr);
        Assert.Contains("created", put.StdOut, StringComparison.Ordinal);
        var list = await DoppelProcess.RunAsync("rules", "list", "--json", "--server", Url);
        Assert.Contains(JsonNode.Parse(list.StdOut)!.AsArray(), r => (string)r!["id"]! == "hot-" + _ns[^8..]);

        await using var watch = DoppelProcess.Start("alerts", "watch", "--twin", oven, "--json", "--server", Url);
        await watch.WaitForLineAsync(line => line.Contains("watching", StringComparison.Ordinal));
        using (var sent = await server.SendAsync(HttpMethod.Post, $"/digitaltwins/{oven}/telemetry", """{"temperature":300}""", configure: r => r.Headers.Add("Message-Id", "t1")))
        {
            Assert.True(sent.IsSuccessStatusCode);
        }
        var raised = JsonNode.Parse(await watch.WaitForLineAsync(line => line.StartsWith('{')))!;
        Assert.Equal("doppel.alert.raised", (string)raised["type"]!);
        var id = (string)raised["data"]!["id"]!;

        var open = await DoppelProcess.RunAsync("alerts", "list", "--state", "open", "--twin", oven, "--json", "--server", Url);
        Assert.Equal([id], JsonNode.Parse(open.StdOut)!.AsArray().Select(a => (string)a!["id"]!));
        var ack = await DoppelProcess.RunAsync("alerts", "ack", id, "--note", "seen", "--server", Url);
        Assert.True(ack.ExitCode == 0, ack.StdErr);
        Assert.Contains("acknowledged", ack.StdOut, StringComparison.Ordinal);
        var resolve = await DoppelProcess.RunAsync("alerts", "resolve", id, "--server", Url);
        Assert.True(resolve.ExitCode == 0, resolve.StdErr);
        var again = await DoppelProcess.RunAsync("alerts", "resolve", id, "--server", Url);
        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("not open", again.StdErr, StringComparison.Ordinal);

        var backtest = await DoppelProcess.RunAsync("rules", "backtest", "hot-" + _ns[^8..], "--from", "-1h", "--json", "--server", Url);
        Assert.True(backtest.ExitCode == 0, backtest.StdErr);
        Assert.Equal(1, (int)JsonNode.Parse(backtest.StdOut)!["fired"]!);

        var delete = await DoppelProcess.RunAsync("rules", "delete", "hot-" + _ns[^8..], "--server", Url);
        Assert.True(delete.ExitCode == 0, delete.StdErr);
    }

    [Fact]
    public async Task A_bad_rule_file_is_refused_with_the_field_line_and_column()
    {
        var file = Path.Combine(Repository.TempFolder(), "bad.yaml");
        await File.WriteAllTextAsync(file, $"""
            scope:
              model: "{_ns}:Oven;1"
            condition: temperature >> 250
            severity: critical
            message: m
            """);

        var put = await DoppelProcess.RunAsync("rules", "put", "bad", file, "--server", Url);

        Assert.Equal(1, put.ExitCode);
        Assert.Contains("condition: line 1, column 14", put.StdErr, StringComparison.Ordinal);
    }
}
