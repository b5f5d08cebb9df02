using System.Net;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json.Nodes;
using Doppel.IntegrationTests.Greenhouse;
using Doppel.IntegrationTests.Support;

namespace Doppel.IntegrationTests;

/// <summary>
/// The console's side of packs on a server that requires credentials: the pages packs add are listed with what each
/// registers and served as public code from the pack's assembly (the greenhouse pack, which the host does not know,
/// as well as the manufacturing pack); a browser's event stream, which cannot set headers, follows a run with the
/// <c>access_token</c> query parameter.
/// </summary>
public sealed class PackConsolePageTests : IAsyncLifetime
{
    private readonly ServerFixture _server = new() { Configure = o => o.RequireAuthentication = true };
    private HttpClient _owner = null!;
    private HttpClient _anonymous = null!;
    private string _key = "";

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        _key = (await File.ReadAllTextAsync(Path.Combine(_server.DataDirectory, "admin.key"))).Trim();
        _owner = new HttpClient { BaseAddress = _server.Server.HttpAddress };
        _owner.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _key);
        _anonymous = new HttpClient { BaseAddress = _server.Server.HttpAddress };
    }

    public async Task DisposeAsync()
    {
        _owner.Dispose();
        _anonymous.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_packs_console_pages_are_listed_and_served_to_anyone_as_code_revalidated_by_etag()
    {
        // Given a server that requires credentials, with the greenhouse and manufacturing packs discovered
        var packs = JsonNode.Parse(await _owner.GetStringAsync("/doppel/packs"))!["value"]!.AsArray();

        // Then each pack lists its pages with the module the console loads
        Assert.Equal(
            """[{"name":"greenhouses","title":"Greenhouses","modelId":"dtmi:example:greenhouse:Greenhouse;1","module":"/console/packs/greenhouse/greenhouses.js"}]""",
            packs.Single(p => (string?)p!["name"] == "greenhouse")!["consolePages"]!.ToJsonString());
        Assert.Equal("/console/packs/manufacturing/line.js", (string?)packs.Single(p => (string?)p!["name"] == "manufacturing")!["consolePages"]![0]!["module"]);
        using var list = await _anonymous.GetAsync("/doppel/packs");
        Assert.Equal(HttpStatusCode.Unauthorized, list.StatusCode);

        // When a browser loads a page's module without credentials (it is code; the data it shows comes from the API)
        using var page = await _anonymous.GetAsync("/console/packs/greenhouse/greenhouses.js");

        // Then it gets the pack's embedded module as JavaScript, revalidated on each load
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/javascript", page.Content.Headers.ContentType?.MediaType);
        Assert.True(page.Headers.CacheControl?.NoCache, page.Headers.CacheControl?.ToString());
        await using var embedded = typeof(GreenhousePack).Assembly.GetManifestResourceStream("Doppel.IntegrationTests.Greenhouse.greenhouse-page.js")!;
        Assert.Equal(await new StreamReader(embedded).ReadToEndAsync(), await page.Content.ReadAsStringAsync());
        var etag = page.Headers.ETag;
        Assert.NotNull(etag);
        using var again = new HttpRequestMessage(HttpMethod.Get, "/console/packs/greenhouse/greenhouses.js");
        again.Headers.IfNoneMatch.Add(etag);
        using var unchanged = await _anonymous.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);
        using var line = await _anonymous.GetAsync("/console/packs/manufacturing/line.js");
        Assert.Equal(HttpStatusCode.OK, line.StatusCode);
        Assert.Contains("export default function", await line.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // And a page or pack that does not exist is a 404 naming the nearest
        using var misspelled = await _anonymous.GetAsync("/console/packs/greenhouse/greenhuses.js");
        Assert.Equal("Pack 'greenhouse' has no console page 'greenhuses'; did you mean 'greenhouses'?", await AdtAssert.Error(misspelled, 404, "ConsolePageNotFound"));
        using var noPack = await _anonymous.GetAsync("/console/packs/greenhose/greenhouses.js");
        Assert.Equal("There is no pack 'greenhose'; did you mean 'greenhouse'?", await AdtAssert.Error(noPack, 404, "PackNotFound"));
    }

    [Fact]
    public async Task A_run_is_followed_with_the_access_token_query_parameter_as_a_browsers_event_stream_must()
    {
        // Given a run submitted by the owner, not waited for
        using var submit = new HttpRequestMessage(HttpMethod.Post, "/doppel/experiments?wait=false")
        {
            Content = new StringContent(Scenarios.Named("token-run", Scenarios.Experiment(replications: 2, duration: 2000)), Encoding.UTF8, "application/yaml"),
        };
        using var accepted = await _owner.SendAsync(submit);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);

        // When a client that sends no header follows it, with and without its key in the query
        using var none = await _anonymous.GetAsync("/doppel/runs/token-run/events");
        using var forged = await _anonymous.GetAsync("/doppel/runs/token-run/events?access_token=dpl_0123456789abcdef_not-the-secret");
        using var stream = await _anonymous.GetAsync($"/doppel/runs/token-run/events?access_token={Uri.EscapeDataString(_key)}", HttpCompletionOption.ResponseHeadersRead);

        // Then without a valid key it is refused, and with it the run's states arrive until its result
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
        Assert.Equal("text/event-stream", stream.Content.Headers.ContentType?.MediaType);
        JsonNode? last = null;
        await foreach (var item in SseParser.Create(await stream.Content.ReadAsStreamAsync()).EnumerateAsync().WithCancellation(new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token))
        {
            if (item.EventType == "run")
            {
                last = JsonNode.Parse(item.Data);
            }
        }
        Assert.Equal("succeeded", (string?)last?["status"]);
        Assert.Equal(6, last!["result"]!["scenarios"]!.AsArray().Count);
    }
}
