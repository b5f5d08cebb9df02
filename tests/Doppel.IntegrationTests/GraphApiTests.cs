using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Doppel.IntegrationTests.Support;

namespace Doppel.IntegrationTests;

/// <summary>
/// <c>/doppel/graph</c> and its neighbours call over the real server with credentials required: the nodes of a query
/// and the relationships among them, seen exactly as the caller's queries see the graph; and <c>/doppel/status</c>.
/// </summary>
public sealed class GraphApiTests : IAsyncLifetime
{
    private const string Pump = "dtmi:test:Pump;1";
    private const string Valve = "dtmi:test:Valve;1";

    private readonly ServerFixture _server = new() { Configure = o => o.RequireAuthentication = true };
    private HttpClient _owner = null!;

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        _owner = Client((await File.ReadAllTextAsync(Path.Combine(_server.DataDirectory, "admin.key"))).Trim());
        await Ok(_owner, HttpMethod.Post, "/models", $$"""
            [{"@id":"{{Pump}}","@type":"Interface","@context":"dtmi:dtdl:context;3","contents":[
               {"@type":"Property","name":"rpm","schema":"double","writable":true},
               {"@type":"Property","name":"serial","schema":"string","writable":true},
               {"@type":"Telemetry","name":"flow","schema":"double"},
               {"@type":"Relationship","name":"feeds"}]},
             {"@id":"{{Valve}}","@type":"Interface","@context":"dtmi:dtdl:context;3","contents":[
               {"@type":"Property","name":"open","schema":"boolean","writable":true},
               {"@type":"Relationship","name":"drains"}]}]
            """);
        // pump-1 → valve-1 → pump-2 → pump-3, and pump-1 → pump-2.
        await Ok(_owner, HttpMethod.Put, "/digitaltwins/pump-1", $$"""{"$metadata":{"$model":"{{Pump}}"},"rpm":1450,"serial":"X1"}""");
        await Ok(_owner, HttpMethod.Put, "/digitaltwins/pump-2", $$"""{"$metadata":{"$model":"{{Pump}}"},"rpm":900,"serial":"X2"}""");
        await Ok(_owner, HttpMethod.Put, "/digitaltwins/pump-3", $$"""{"$metadata":{"$model":"{{Pump}}"},"rpm":0,"serial":"X3"}""");
        await Ok(_owner, HttpMethod.Put, "/digitaltwins/valve-1", $$"""{"$metadata":{"$model":"{{Valve}}"},"open":true}""");
        await Ok(_owner, HttpMethod.Put, "/digitaltwins/pump-1/relationships/f1", """{"$targetId":"valve-1","$relationshipName":"feeds"}""");
        await Ok(_owner, HttpMethod.Put, "/digitaltwins/pump-1/relationships/f2", """{"$targetId":"pump-2","$relationshipName":"feeds"}""");
        await Ok(_owner, HttpMethod.Put, "/digitaltwins/valve-1/relationships/d1", """{"$targetId":"pump-2","$relationshipName":"drains"}""");
        await Ok(_owner, HttpMethod.Put, "/digitaltwins/pump-2/relationships/f1", """{"$targetId":"pump-3","$relationshipName":"feeds"}""");
    }

    public async Task DisposeAsync()
    {
        _owner.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_query_gives_its_twins_and_only_the_relationships_among_them()
    {
        var graph = await Graph(_owner, $"SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL('{Pump}')");

        Assert.Equal(["pump-1", "pump-2", "pump-3"], Ids(graph["nodes"]));
        // pump-1 → valve-1 leaves the selection, so its edge is absent.
        Assert.Equal(["pump-1/f2 pump-1→pump-2 feeds", "pump-2/f1 pump-2→pump-3 feeds"], Edges(graph));
        Assert.False((bool)graph["truncated"]!);
        var pump1 = graph["nodes"]!.AsArray().Single(n => (string)n!["id"]! == "pump-1")!;
        Assert.Equal(Pump, (string)pump1["model"]!);
        Assert.Equal(1450, (double)pump1["properties"]!["rpm"]!);
        Assert.Null(pump1["properties"]!["$metadata"]);
    }

    [Fact]
    public async Task The_twins_of_a_join_are_nodes_and_max_truncates()
    {
        var joined = await Graph(_owner, "SELECT P, V FROM DIGITALTWINS P JOIN V RELATED P.feeds WHERE P.$dtId = 'pump-1'");
        Assert.Equal(["pump-1", "pump-2", "valve-1"], Ids(joined["nodes"]));
        Assert.Equal(["pump-1/f1 pump-1→valve-1 feeds", "pump-1/f2 pump-1→pump-2 feeds", "valve-1/d1 valve-1→pump-2 drains"], Edges(joined));

        var two = await Graph(_owner, "SELECT * FROM DIGITALTWINS", max: 2);
        Assert.Equal(2, two["nodes"]!.AsArray().Count);
        Assert.True((bool)two["truncated"]!);
        var all = await Graph(_owner, "SELECT * FROM DIGITALTWINS", max: 4);
        Assert.False((bool)all["truncated"]!);
    }

    [Fact]
    public async Task Neighbours_are_both_directions_with_the_relationships_among_them()
    {
        var around = await Ok(_owner, HttpMethod.Get, "/doppel/graph/twins/pump-2/neighbours");

        Assert.Equal(["pump-1", "pump-2", "pump-3", "valve-1"], Ids(around["nodes"]));
        Assert.Equal(
            ["pump-1/f1 pump-1→valve-1 feeds", "pump-1/f2 pump-1→pump-2 feeds", "pump-2/f1 pump-2→pump-3 feeds", "valve-1/d1 valve-1→pump-2 drains"],
            Edges(around));
        var first = await Ok(_owner, HttpMethod.Get, "/doppel/graph/twins/pump-2/neighbours?max=2");
        Assert.Equal(2, first["nodes"]!.AsArray().Count);
        Assert.True((bool)first["truncated"]!);
    }

    [Fact]
    public async Task A_policy_hides_twins_their_edges_and_properties_as_in_queries()
    {
        using var reader = Client(await CreateKeyAsync("carol", "reader"));
        await Ok(_owner, HttpMethod.Put, "/doppel/auth/policies/no-valves", $$"""
            {"subjects":["key:carol"],"entries":[
              {"resource":"twins","twins":{"where":"IS_OF_MODEL('{{Valve}}')"},"revoke":["read"]},
              {"resource":"relationships","twins":{"idPrefix":"pump-2"},"revoke":["read"]},
              {"resource":"properties","properties":["serial"],"revoke":["read"]}]}
            """);

        var graph = await Graph(reader, "SELECT * FROM DIGITALTWINS");
        Assert.Equal(["pump-1", "pump-2", "pump-3"], Ids(graph["nodes"]));
        // The valve's edges go with it; pump-2's own relationships are hidden, so pump-2 → pump-3 is too.
        Assert.Equal(["pump-1/f2 pump-1→pump-2 feeds"], Edges(graph));
        Assert.All(graph["nodes"]!.AsArray(), n => Assert.Null(n!["properties"]!["serial"]));
        // A hidden twin cannot be reached through a join either.
        Assert.Equal(["pump-1", "pump-2"], Ids((await Graph(reader, "SELECT P, V FROM DIGITALTWINS P JOIN V RELATED P.feeds WHERE P.$dtId = 'pump-1'"))["nodes"]));

        var around = await Ok(reader, HttpMethod.Get, "/doppel/graph/twins/pump-2/neighbours");
        Assert.Equal(["pump-1", "pump-2"], Ids(around["nodes"]));
        Assert.Equal(["pump-1/f2 pump-1→pump-2 feeds"], Edges(around));
        await AdtAssert.Error(await Send(reader, HttpMethod.Get, "/doppel/graph/twins/valve-1/neighbours"), (int)HttpStatusCode.Forbidden, "Forbidden");

        // Without a read right on twins, the route is closed.
        using var none = Client(await CreateKeyAsync("dan", "none"));
        await AdtAssert.Error(await Send(none, HttpMethod.Get, "/doppel/graph?query=SELECT%20*%20FROM%20DIGITALTWINS"), (int)HttpStatusCode.Forbidden, "Forbidden");
    }

    [Fact]
    public async Task Bad_requests_say_what_is_wrong()
    {
        Assert.Contains("'query'", await AdtAssert.Error(await Send(_owner, HttpMethod.Get, "/doppel/graph"), 400, "MissingArgument"), StringComparison.Ordinal);
        Assert.Contains("1:", await AdtAssert.Error(await Send(_owner, HttpMethod.Get, "/doppel/graph?query=" + Uri.EscapeDataString("SELECT * FROM DIGITALTWINZ")), 400, "SqlQueryError"), StringComparison.Ordinal);
        Assert.Contains("from 1 to 10000", await AdtAssert.Error(await Send(_owner, HttpMethod.Get, "/doppel/graph?max=0&query=" + Uri.EscapeDataString("SELECT * FROM DIGITALTWINS")), 400, "InvalidArgument"), StringComparison.Ordinal);
        Assert.Contains("no twins", await AdtAssert.Error(await Send(_owner, HttpMethod.Get, "/doppel/graph?query=" + Uri.EscapeDataString("SELECT T.rpm FROM DIGITALTWINS T")), 400, "InvalidArgument"), StringComparison.Ordinal);
        await AdtAssert.Error(await Send(_owner, HttpMethod.Get, "/doppel/graph/twins/nobody/neighbours"), 404, "DigitalTwinNotFound");
        await AdtAssert.Error(await Send(_owner, HttpMethod.Get, "/doppel/graph/twins/pump-1/neighbours?max=x"), 400, "InvalidArgument");
    }

    [Fact]
    public async Task Status_counts_messages_dead_letters_and_history_and_any_signed_in_subject_reads_it()
    {
        using var reader = Client(await CreateKeyAsync("erin", "reader"));
        await Ok(_owner, HttpMethod.Put, "/doppel/rules/flowing", $$"""{"scope":{"model":"{{Pump}}"},"condition":"flow > 2","severity":"major","message":"{twinId} flows"}""");
        const string Lines = """
            {"twinId":"pump-1","values":{"flow":2.5},"messageId":"m1"}
            {"twinId":"pump-1","values":{"flow":"fast"},"messageId":"m2"}
            """;
        var ingested = await Ok(_owner, HttpMethod.Post, "/doppel/ingest", Lines, "application/x-ndjson");
        Assert.Equal(1, (int)ingested["deadLettered"]!);

        var status = await Poll.UntilAsync(() => Ok(reader, HttpMethod.Get, "/doppel/status"), s => (double)s["alerts"]!["open"]! == 1, "the open alert in the status");

        Assert.Equal(4, (int)status["twins"]!);
        Assert.Equal(2, (int)status["models"]!);
        // Bulk ingest counts its stored lines too (it counted only its dead letters).
        Assert.Equal(1, (double)status["ingest"]!["messages"]!["stored"]!);
        Assert.Equal(1, (double)status["ingest"]!["messages"]!["dead_letter"]!);
        Assert.Equal(2, (double)status["ingest"]!["bySource"]!["http"]!);
        Assert.Equal(1, (long)status["deadLetters"]!["total"]!);
        Assert.Equal(1, (double)status["alerts"]!["raised"]!["major"]!);
        // Twin writes land in history as property points, and the one reading as a telemetry point.
        Assert.True((long)status["history"]!["points"]! >= 1);
        Assert.True((long)status["history"]!["bytes"]! > 0);
        var metrics = status["metrics"]!.AsArray();
        var messages = metrics.Single(m => (string)m!["name"]! == "doppel.ingest.messages")!;
        Assert.Equal("counter", (string)messages["kind"]!);
        Assert.Contains(messages["values"]!.AsArray(), v => (string)v!["tags"]!["outcome"]! == "dead_letter" && (double)v["value"]! == 1);
        Assert.Equal(4, (double)metrics.Single(m => (string)m!["name"]! == "doppel.twins")!["values"]![0]!["value"]!);
        Assert.Equal("histogram", (string)metrics.Single(m => (string)m!["name"]! == "doppel.ingest.duration")!["kind"]!);

        using var anonymous = new HttpClient { BaseAddress = _server.Server.HttpAddress };
        await AdtAssert.Error(await anonymous.GetAsync("/doppel/status"), 401, "Unauthorized");
    }

    private static Task<JsonNode> Graph(HttpClient client, string query, int? max = null) =>
        Ok(client, HttpMethod.Get, $"/doppel/graph?query={Uri.EscapeDataString(query)}{(max is { } m ? $"&max={m}" : "")}");

    private static List<string> Ids(JsonNode? nodes) => [.. nodes!.AsArray().Select(n => (string)n!["id"]!).Order(StringComparer.Ordinal)];

    private static List<string> Edges(JsonNode graph) =>
        [.. graph["edges"]!.AsArray().Select(e => $"{e!["source"]}/{e["id"]} {e["source"]}→{e["target"]} {e["name"]}").Order(StringComparer.Ordinal)];

    private async Task<string> CreateKeyAsync(string name, string role)
    {
        var created = await Ok(_owner, HttpMethod.Post, "/doppel/auth/keys", $$"""{"name":"{{name}}","role":"{{role}}"}""");
        return (string)created["key"]!;
    }

    private HttpClient Client(string credential)
    {
        var client = new HttpClient { BaseAddress = _server.Server.HttpAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        return client;
    }

    private static Task<HttpResponseMessage> Send(HttpClient client, HttpMethod method, string path, string? body = null, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, contentType);
        }
        return client.SendAsync(request);
    }

    private static async Task<JsonNode> Ok(HttpClient client, HttpMethod method, string path, string? body = null, string contentType = "application/json")
    {
        // ADT routes need api-version; Doppel's own accept it too.
        using var response = await Send(client, method, path.StartsWith("/doppel/", StringComparison.Ordinal) ? path : $"{path}?api-version={ServerFixture.ApiVersion}", body, contentType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path} -> {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }
}
