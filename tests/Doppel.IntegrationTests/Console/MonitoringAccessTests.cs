using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Doppel.IntegrationTests.Support;
using Microsoft.Playwright;

namespace Doppel.IntegrationTests.WebConsole;

/// <summary>
/// The monitoring pages show and allow only what the signed-in user's policies allow: a reader signed in with an API
/// key whose policy hides valves sees no valve in the graph and no valve's alert, and may not acknowledge an alert.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class MonitoringAccessTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly ServerFixture _server = new() { Configure = o => o.RequireAuthentication = true };
    private HttpClient _owner = null!;
    private string _readerKey = null!;

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        _owner = new HttpClient { BaseAddress = _server.Server.HttpAddress };
        _owner.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await File.ReadAllTextAsync(Path.Combine(_server.DataDirectory, "admin.key"))).Trim());
        await OkAsync(HttpMethod.Post, $"/models?api-version={ServerFixture.ApiVersion}", """
            [{"@id":"dtmi:test:acl:Pump;1","@type":"Interface","@context":"dtmi:dtdl:context;3","contents":[{"@type":"Telemetry","name":"temperature","schema":"double"},{"@type":"Relationship","name":"feeds"}]},
             {"@id":"dtmi:test:acl:Valve;1","@type":"Interface","@context":"dtmi:dtdl:context;3","contents":[{"@type":"Telemetry","name":"temperature","schema":"double"}]}]
            """);
        await OkAsync(HttpMethod.Put, $"/digitaltwins/pump-1?api-version={ServerFixture.ApiVersion}", """{"$metadata":{"$model":"dtmi:test:acl:Pump;1"}}""");
        await OkAsync(HttpMethod.Put, $"/digitaltwins/valve-1?api-version={ServerFixture.ApiVersion}", """{"$metadata":{"$model":"dtmi:test:acl:Valve;1"}}""");
        await OkAsync(HttpMethod.Put, $"/digitaltwins/pump-1/relationships/f1?api-version={ServerFixture.ApiVersion}", """{"$targetId":"valve-1","$relationshipName":"feeds"}""");
        await OkAsync(HttpMethod.Put, "/doppel/rules/hot", """{"scope":{"query":"SELECT * FROM DIGITALTWINS"},"condition":"temperature > 90","severity":"major","message":"{twinId} hot"}""");
        await OkAsync(HttpMethod.Post, "/doppel/ingest", "{\"twinId\":\"pump-1\",\"values\":{\"temperature\":95}}\n{\"twinId\":\"valve-1\",\"values\":{\"temperature\":99}}\n", "application/x-ndjson");
        await Poll.UntilAsync(async () => (await OkAsync(HttpMethod.Get, "/doppel/alerts?state=open"))["value"]!.AsArray().Count, n => n == 2, "both alerts");
        _readerKey = (string)(await OkAsync(HttpMethod.Post, "/doppel/auth/keys", """{"name":"viewer","role":"reader"}"""))["key"]!;
        await OkAsync(HttpMethod.Put, "/doppel/auth/policies/no-valves", """
            {"subjects":["key:viewer"],"entries":[{"resource":"twins","twins":{"where":"IS_OF_MODEL('dtmi:test:acl:Valve;1')"},"revoke":["read"]}]}
            """);
    }

    public async Task DisposeAsync()
    {
        _owner.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_reader_narrowed_by_a_policy_sees_only_its_twins_and_alerts_and_may_not_acknowledge()
    {
        await using var tab = await browser.OpenAsync(_server.Server.HttpAddress!, nameof(A_reader_narrowed_by_a_policy_sees_only_its_twins_and_alerts_and_may_not_acknowledge), "graph");
        // The refused acknowledgement (403) is logged by Chromium: expected here.
        tab.ExpectConsoleError("status of 403");
        var page = tab.Page;
        await page.Locator("input[name=apiKey]").FillAsync(_readerKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("who")).ToContainTextAsync("key:viewer");

        // The graph: pump-1 alone, its relationship to the hidden valve absent.
        var info = page.GetByTestId("graph-info");
        await Assertions.Expect(info).ToHaveAttributeAsync("data-nodes", "1");
        await Assertions.Expect(info).ToHaveAttributeAsync("data-edges", "0");

        // The alerts: pump-1's only; acknowledging needs write access to the twin, which a reader lacks.
        await tab.GoToAsync("alerts");
        var rows = page.GetByTestId("alert-row");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows).ToHaveAttributeAsync("data-twin", "pump-1");
        await rows.GetByTestId("alert-ack").ClickAsync();
        await rows.GetByTestId("alert-ack-confirm").ClickAsync();
        await Assertions.Expect(rows.Locator(".error-box")).ToContainTextAsync("Not allowed");
        await Assertions.Expect(rows).ToHaveAttributeAsync("data-state", "raised");
        Assert.Equal("raised", (string)(await OkAsync(HttpMethod.Get, "/doppel/alerts?twinId=pump-1"))["value"]![0]!["state"]!);
    }

    private async Task<JsonNode> OkAsync(HttpMethod method, string path, string? body = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, contentType);
        }
        using var response = await _owner.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path} -> {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }
}
