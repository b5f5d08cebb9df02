using Doppel.IntegrationTests.Support;

namespace Doppel.IntegrationTests;

/// <summary>
/// The output of the main commands, pinned in Snapshots/*.txt against a real server loaded with a small fixed world:
/// tables (numbers to six significant digits, times in UTC, counts in words), JSON documents, and one-line errors.
/// </summary>
public sealed class CliSnapshotTests(CliSnapshotTests.World world) : IClassFixture<CliSnapshotTests.World>
{
    [Fact]
    public Task Models_list() => MatchAsync("models-list", "models", "list");

    [Fact]
    public Task Twins_get() => MatchAsync("twins-get", "twins", "get", "pump-1");

    [Fact]
    public Task Query_as_a_table() => MatchAsync("query-table", "query", "SELECT T.$dtId, T.speed, T.note FROM DIGITALTWINS T WHERE IS_OF_MODEL(T, 'dtmi:snap:Pump;1') ORDER BY T.$dtId");

    [Fact]
    public Task Query_of_one_row() => MatchAsync("query-count", "query", "SELECT COUNT() FROM DIGITALTWINS WHERE IS_OF_MODEL('dtmi:snap:Pump;1')");

    [Fact]
    public Task History_get() => MatchAsync("history-get", "history", "get", "pump-1", "--name", "temperature");

    [Fact]
    public Task History_get_with_a_limit() => MatchAsync("history-get-limit", "history", "get", "pump-1", "--name", "temperature", "--limit", "2");

    [Fact]
    public Task History_at() => MatchAsync("history-at", "history", "at", "pump-1", "2024-05-01T00:40:00Z", "--name", "temperature");

    [Fact]
    public Task History_aggregate() => MatchAsync("history-aggregate", "history", "aggregate", "--twin", "pump-1", "--name", "temperature", "--bucket", "30m", "--aggregates", "avg,min,max,count", "--from", "2024-05-01", "--to", "2024-05-02");

    [Fact]
    public Task Runs_list() => MatchAsync("runs-list", "runs", "list");

    [Fact]
    public Task Routes_list() => MatchAsync("routes-list", "routes", "list");

    [Fact]
    public Task A_refused_request() => MatchAsync("twins-get-missing", "twins", "get", "no-such-twin");

    [Fact]
    public async Task No_server_at_the_address()
    {
        string[] args = ["twins", "get", "pump-1", "--server", "http://127.0.0.1:9"];
        Snapshot.Match("no-server", Snapshot.Of(args, await DoppelProcess.RunAsync(args)));
    }

    [Fact]
    public async Task Models_validate_of_an_invalid_file()
    {
        var folder = Repository.TempFolder();
        var file = Path.Combine(folder, "pump.json");
        File.WriteAllText(file, """{"@context":"dtmi:dtdl:context;3","@id":"dtmi:snap:Bad;1","@type":"Interface","contents":[{"@type":"Property","name":"speed","schema":"doubel"}]}""");
        string[] args = ["models", "validate", file];
        Snapshot.Match("models-validate-invalid", Snapshot.Of(args, await DoppelProcess.RunAsync(args)), folder);
    }

    private async Task MatchAsync(string name, params string[] args)
    {
        var run = await DoppelProcess.RunAsync([.. args, "--server", world.Url]);
        Snapshot.Match(name, Snapshot.Of(args, run));
    }

    /// <summary>A server with a pump model, two pumps, an hour of one pump's temperature, a finished experiment run and a route.</summary>
    public sealed class World : IAsyncLifetime
    {
        private static readonly DateTimeOffset Start = new(2024, 5, 1, 0, 0, 0, TimeSpan.Zero);

        private readonly ServerFixture _server = new();

        public string Url => _server.Server.HttpAddress!.ToString();

        public async Task InitializeAsync()
        {
            await _server.InitializeAsync();
            await _server.PutModelsAsync("""
                [{"@context":"dtmi:dtdl:context;3","@id":"dtmi:snap:Pump;1","@type":"Interface","displayName":{"en":"Pump"},
                  "contents":[{"@type":"Property","name":"speed","schema":"double","writable":true},
                              {"@type":"Property","name":"note","schema":"string","writable":true},
                              {"@type":"Telemetry","name":"temperature","schema":"double"}]}]
                """);
            await _server.SendOkAsync(HttpMethod.Put, "/digitaltwins/pump-1",
                """{"$metadata":{"$model":"dtmi:snap:Pump;1"},"speed":29.106899999999996,"note":"replaced the seal after it wept oil for a week; check again at the next stop"}""");
            await _server.SendOkAsync(HttpMethod.Put, "/digitaltwins/pump-2", """{"$metadata":{"$model":"dtmi:snap:Pump;1"},"speed":1450}""");
            var points = string.Join('\n', new[] { 20.123456789, 21.5, 0.000012345678, 1234567.891, 22 }.Select((value, i) =>
                $$$"""{"twinId":"pump-1","time":"{{{Start.AddMinutes(i * 15):yyyy-MM-dd'T'HH:mm:ss'Z'}}}","messageId":"snap-{{{i}}}","values":{"temperature":{{{value.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}}}}}"""));
            var ingested = await _server.SendOkAsync(HttpMethod.Post, "/doppel/ingest", points, "application/x-ndjson");
            Assert.True((int)ingested["stored"]! == 5, ingested.ToJsonString());
            await _server.SendOkAsync(HttpMethod.Put, "/doppel/endpoints/hook", """{"type":"webhook","url":"http://127.0.0.1:9/hook"}""");
            await _server.SendOkAsync(HttpMethod.Put, "/eventroutes/pump-changes", """{"endpointName":"hook","filter":"type = 'Microsoft.DigitalTwins.Twin.Update'"}""");
            await _server.SendOkAsync(HttpMethod.Post, "/doppel/experiments", Scenarios.Named("snap-study", Scenarios.Experiment(replications: 2, duration: 2000)), "application/yaml");
        }

        public Task DisposeAsync() => _server.DisposeAsync();
    }
}
