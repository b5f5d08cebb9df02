using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Doppel.IntegrationTests.Support;
using Microsoft.Playwright;

namespace Doppel.IntegrationTests.WebConsole;

/// <summary>
/// The console where credentials are required: sign-in with an API key, property edits carrying the twin's etag (and a
/// 412 shown as a conflict with the fresh value), and a reader who sees no edit action and is told of a 403.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleAccessTests(BrowserFixture browser) : IAsyncLifetime
{
    private const string Pump = "dtmi:console:Pump;1";

    private readonly ServerFixture _server = new() { Configure = o => o.RequireAuthentication = true };
    private string _ownerKey = "";
    private HttpClient _owner = null!;

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        _ownerKey = (await File.ReadAllTextAsync(Path.Combine(_server.DataDirectory, "admin.key"))).Trim();
        _owner = new HttpClient { BaseAddress = _server.Server.HttpAddress };
        _owner.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _ownerKey);
        await Send(HttpMethod.Post, "/models", $$"""
            [{"@id":"{{Pump}}","@type":"Interface","@context":"dtmi:dtdl:context;3","contents":[
               {"@type":"Property","name":"rpm","schema":"double","writable":true},
               {"@type":"Property","name":"line","schema":"string","writable":true},
               {"@type":"Telemetry","name":"flow","schema":"double"}]}]
            """);
        await Send(HttpMethod.Put, "/digitaltwins/pump-1", $$"""{"$metadata":{"$model":"{{Pump}}"},"rpm":1450,"line":"A"}""");
        await Send(HttpMethod.Put, "/digitaltwins/valve-1", $$"""{"$metadata":{"$model":"{{Pump}}"},"rpm":10,"line":"A"}""");
    }

    public async Task DisposeAsync()
    {
        _owner.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_property_edit_saves_with_the_twins_etag()
    {
        await using var tab = await browser.OpenAsync(_server.Server.HttpAddress!, nameof(A_property_edit_saves_with_the_twins_etag));
        await tab.SignInAsync(_ownerKey);
        await tab.GoToAsync("twins/pump-1");
        var before = await tab.Page.GetByTestId("etag").TextContentAsync();

        await tab.Page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Edit rpm" }).ClickAsync();
        await tab.Page.GetByLabel("New value of rpm").FillAsync("1500.5");
        await tab.Page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Save", Exact = true }).ClickAsync();

        await Assertions.Expect(tab.Page.GetByTestId("saved")).ToContainTextAsync("Saved rpm");
        await Assertions.Expect(tab.Page.GetByTestId("value-rpm")).ToHaveTextAsync("1500.5");
        var (twin, etag) = await GetTwin("pump-1");
        Assert.Equal(1500.5, (double)twin["rpm"]!);
        Assert.NotEqual(before, etag);
        await Assertions.Expect(tab.Page.GetByTestId("etag")).ToHaveTextAsync(etag);
    }

    [Fact]
    public async Task An_edit_of_a_twin_changed_meanwhile_is_shown_as_a_conflict_with_the_fresh_value_and_can_then_be_saved()
    {
        await using var tab = await browser.OpenAsync(_server.Server.HttpAddress!, nameof(An_edit_of_a_twin_changed_meanwhile_is_shown_as_a_conflict_with_the_fresh_value_and_can_then_be_saved));
        tab.ExpectConsoleError("status of 412");
        await tab.SignInAsync(_ownerKey);
        await tab.GoToAsync("twins/pump-1");
        await tab.Page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Edit line" }).ClickAsync();
        await tab.Page.GetByLabel("New value of line").FillAsync("C");

        // Someone else changes the twin while the edit is open.
        await Send(HttpMethod.Patch, "/digitaltwins/pump-1", """[{"op":"replace","path":"/line","value":"B"}]""");
        await tab.Page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Save", Exact = true }).ClickAsync();

        await Assertions.Expect(tab.Page.GetByTestId("conflict")).ToContainTextAsync("Changed by someone else");
        await Assertions.Expect(tab.Page.GetByTestId("fresh-value")).ToHaveTextAsync("B");
        Assert.Equal("B", (string?)(await GetTwin("pump-1")).Twin["line"]);

        await tab.Page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Save mine over it" }).ClickAsync();
        await Assertions.Expect(tab.Page.GetByTestId("saved")).ToBeVisibleAsync();
        Assert.Equal("C", (string?)(await GetTwin("pump-1")).Twin["line"]);
    }

    [Fact]
    public async Task A_reader_sees_no_edit_action_and_is_shown_a_403_rather_than_an_empty_page()
    {
        var created = JsonNode.Parse(await Send(HttpMethod.Post, "/doppel/auth/keys", """{"name":"rita","role":"reader"}"""))!;
        await Send(HttpMethod.Put, "/doppel/auth/policies/rita", """{"subjects":["key:rita"],"entries":[{"resource":"twins","twins":{"idPrefix":"valve"},"revoke":["read"]}]}""");
        await using var tab = await browser.OpenAsync(_server.Server.HttpAddress!, nameof(A_reader_sees_no_edit_action_and_is_shown_a_403_rather_than_an_empty_page));
        tab.ExpectConsoleError("status of 403");

        await tab.SignInAsync((string)created["key"]!);
        await Assertions.Expect(tab.Page.GetByTestId("who")).ToContainTextAsync("key:rita");
        await tab.GoToAsync("twins/pump-1");
        await Assertions.Expect(tab.Page.GetByTestId("value-rpm")).ToHaveTextAsync("1450");
        await Assertions.Expect(tab.Page.GetByTestId("read-only")).ToContainTextAsync("may not change properties");
        await Assertions.Expect(tab.Page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Edit rpm" })).ToHaveCountAsync(0);
        await tab.ScreenshotAsync("read-only");

        await tab.GoToAsync("twins/valve-1");
        var denied = tab.Page.Locator(".error-box.forbidden");
        await Assertions.Expect(denied).ToContainTextAsync("Not allowed");
        await Assertions.Expect(denied).ToContainTextAsync("Forbidden");
        await Assertions.Expect(denied).ToContainTextAsync("HTTP 403");
    }

    [Fact]
    public async Task A_key_the_server_does_not_accept_is_refused_at_sign_in_with_the_reason()
    {
        await using var tab = await browser.OpenAsync(_server.Server.HttpAddress!, nameof(A_key_the_server_does_not_accept_is_refused_at_sign_in_with_the_reason));
        tab.ExpectConsoleError("status of 401");
        await tab.Page.GetByLabel("API key").FillAsync("dpl_0123456789abcdef_not-the-secret");
        await tab.Page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Sign in", Exact = true }).ClickAsync();

        await Assertions.Expect(tab.Page.Locator(".sign-in .error-box")).ToContainTextAsync("does not accept this key");
        await Assertions.Expect(tab.Page.GetByTestId("who")).ToHaveCountAsync(0);
    }

    private async Task<(JsonNode Twin, string ETag)> GetTwin(string id)
    {
        using var response = await _owner.GetAsync($"/digitaltwins/{id}?api-version={ServerFixture.ApiVersion}");
        response.EnsureSuccessStatusCode();
        return (JsonNode.Parse(await response.Content.ReadAsStringAsync())!, response.Headers.ETag!.ToString());
    }

    private async Task<string> Send(HttpMethod method, string path, string body)
    {
        using var request = new HttpRequestMessage(method, $"{path}?api-version={ServerFixture.ApiVersion}") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        using var response = await _owner.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path} -> {(int)response.StatusCode}: {text}");
        return text;
    }
}
