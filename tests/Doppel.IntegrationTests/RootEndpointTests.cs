using System.Text.Json.Nodes;
using Doppel.IntegrationTests.Support;

namespace Doppel.IntegrationTests;

/// <summary>The server's root says what it is to a browser and to a client, without loosening the ADT routes' api-version rule.</summary>
public sealed class RootEndpointTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task The_root_describes_the_server_as_JSON_with_its_version_and_where_things_are()
    {
        using var response = await server.Http.GetAsync("/");
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var about = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("Doppel", (string?)about["name"]);
        Assert.Matches(@"^\d+\.\d+\.\d+", (string?)about["version"]);
        Assert.Equal("/openapi/v1.json", (string?)about["links"]!["openapi"]!["href"]);
        Assert.Equal("/metrics", (string?)about["links"]!["metrics"]!["href"]);
        Assert.Contains("2023-10-31", about["apiVersions"]!.AsArray().Select(v => (string?)v));

        // Every link a client may follow answers.
        foreach (var (name, link) in about["links"]!.AsObject().Where(l => (bool)l.Value!["browsable"]!))
        {
            using var followed = await server.Http.GetAsync((string)link!["href"]!, HttpCompletionOption.ResponseHeadersRead); // the event stream never ends
            Assert.True(followed.IsSuccessStatusCode, $"{name}: {(int)followed.StatusCode}");
        }
    }

    [Fact]
    public async Task A_browser_gets_a_page_and_the_ADT_routes_still_need_an_api_version()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        using var page = await server.Http.SendAsync(request);
        Assert.Equal(200, (int)page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<h1>Doppel", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/openapi/v1.json\"", html, StringComparison.Ordinal);

        using var models = await server.Http.GetAsync("/models");
        await AdtAssert.Error(models, 400, "MissingArgument");
    }
}
