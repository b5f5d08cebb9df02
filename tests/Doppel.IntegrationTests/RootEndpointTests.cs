using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
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
    public async Task A_browser_gets_the_console_and_the_ADT_routes_still_need_an_api_version()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        using var page = await server.Http.SendAsync(request);
        Assert.Equal(200, (int)page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<script type=\"importmap\">", html, StringComparison.Ordinal);
        Assert.Contains("src=\"/console/app.js\"", html, StringComparison.Ordinal);

        using var models = await server.Http.GetAsync("/models");
        await AdtAssert.Error(models, 400, "MissingArgument");
    }

    [Fact]
    public async Task Every_file_the_console_page_names_is_served_and_revalidated_by_its_etag()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Accept.ParseAdd("text/html");
        using var page = await server.Http.SendAsync(request);
        var html = await page.Content.ReadAsStringAsync();
        var names = Regex.Matches(html, "\"(/console/[^\"]+)\"").Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.Contains("/console/vendor/preact/preact.mjs", names);
        Assert.Contains("/console/vendor/uplot/uPlot.esm.js", names);
        Assert.Contains("/console/vendor/cytoscape/cytoscape.esm.min.mjs", names);
        foreach (var name in names)
        {
            using var file = await server.Http.GetAsync(name);
            Assert.True(file.StatusCode == HttpStatusCode.OK, $"{name}: {(int)file.StatusCode}");
            Assert.Equal(name.EndsWith(".css", StringComparison.Ordinal) ? "text/css" : "text/javascript", file.Content.Headers.ContentType?.MediaType);
            Assert.True(file.Headers.CacheControl?.NoCache, name);
            Assert.NotNull(file.Headers.ETag);

            using var again = new HttpRequestMessage(HttpMethod.Get, name);
            again.Headers.IfNoneMatch.Add(file.Headers.ETag);
            using var revalidated = await server.Http.SendAsync(again);
            Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
        }
    }

    [Theory]
    [InlineData("/console/nothing-here.js")]
    [InlineData("/console/lib")]
    [InlineData("/console/")]
    public async Task A_file_the_console_lacks_is_a_404_in_ADT_shape(string path)
    {
        using var response = await server.Http.GetAsync(path);
        await AdtAssert.Error(response, 404, "NotFound");
    }
}

/// <summary>Where credentials are required, the console's files stay public (the API behind them checks the credential).</summary>
public sealed class ConsoleAssetSecurityTests : IAsyncLifetime
{
    private readonly ServerFixture _server = new() { Configure = o => o.RequireAuthentication = true };

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task The_console_and_its_sign_in_settings_need_no_credential_and_the_API_still_does()
    {
        using var anonymous = new HttpClient { BaseAddress = _server.Server.HttpAddress };
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/"))
        {
            request.Headers.Accept.ParseAdd("text/html");
            using var page = await anonymous.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }
        using (var app = await anonymous.GetAsync("/console/app.js"))
        {
            Assert.Equal(HttpStatusCode.OK, app.StatusCode);
        }
        var config = JsonNode.Parse(await anonymous.GetStringAsync("/doppel/auth/config"))!;
        Assert.False((bool)config["anonymous"]!);
        Assert.Null(config["oidc"]);

        using var whoami = await anonymous.GetAsync("/doppel/auth/whoami");
        Assert.Equal(HttpStatusCode.Unauthorized, whoami.StatusCode);
        using var twins = await anonymous.GetAsync("/digitaltwins/x?api-version=2023-10-31");
        Assert.Equal(HttpStatusCode.Unauthorized, twins.StatusCode);
    }
}
