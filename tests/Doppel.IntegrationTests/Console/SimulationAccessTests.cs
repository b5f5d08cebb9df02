using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Doppel.IntegrationTests.Support;
using Microsoft.Playwright;

namespace Doppel.IntegrationTests.WebConsole;

/// <summary>
/// The simulation page where credentials are required: a signed-in owner's what-if is followed to its results over the
/// run's event stream, which the browser opens with the key as <c>access_token</c>; a reader sees the runs and their
/// results but no launch form and no cancel.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class SimulationAccessTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly ServerFixture _server = new() { Configure = o => o.RequireAuthentication = true };
    private string _ownerKey = "";
    private HttpClient _owner = null!;

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        _ownerKey = (await File.ReadAllTextAsync(Path.Combine(_server.DataDirectory, "admin.key"))).Trim();
        _owner = new HttpClient { BaseAddress = _server.Server.HttpAddress };
        _owner.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _ownerKey);
        using var loaded = await _owner.PostAsync("/doppel/samples/factory/load", null);
        Assert.True(loaded.IsSuccessStatusCode, await loaded.Content.ReadAsStringAsync());
    }

    public async Task DisposeAsync()
    {
        _owner.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task An_owners_what_if_is_followed_with_the_key_and_a_reader_sees_runs_but_cannot_start_or_cancel_one()
    {
        // Given an owner signed in with a key
        await using (var tab = await browser.OpenAsync(_server.Server.HttpAddress!, nameof(An_owners_what_if_is_followed_with_the_key_and_a_reader_sees_runs_but_cannot_start_or_cancel_one)))
        {
            await tab.SignInAsync(_ownerKey);
            await tab.GoToAsync("simulation?kind=line&twin=line-1");
            var form = tab.Page.GetByTestId("fork-form");
            await Assertions.Expect(form.Locator("select[name=twin]")).ToHaveValueAsync("line-1");
            await form.Locator("input[name=name]").FillAsync("secured-what-if");
            await form.Locator("input[name=replications]").FillAsync("4");
            await form.GetByLabel("what-if name").FillAsync("one-crew");
            await form.GetByLabel("what-if changes").FillAsync("""{"crews": 1}""");

            // When the what-if is launched, its row follows the run's stream (opened with access_token) to the end
            await tab.Page.GetByTestId("launch-fork").ClickAsync();
            await Assertions.Expect(tab.Page.Locator("tr[data-run=secured-what-if]")).ToHaveAttributeAsync("data-status", "succeeded", new() { Timeout = 120_000 });
            await Assertions.Expect(tab.Page.Locator("[data-testid=run-results][data-run=secured-what-if] [data-testid=comparisons] tr[data-scenario=one-crew]")).ToBeVisibleAsync();
        }

        // Then a reader sees the run and its results, and neither the launch form nor a cancel button
        var created = JsonNode.Parse(await Send(HttpMethod.Post, "/doppel/auth/keys", """{"name":"rita","role":"reader"}"""))!;
        await using var reader = await browser.OpenAsync(_server.Server.HttpAddress!, nameof(An_owners_what_if_is_followed_with_the_key_and_a_reader_sees_runs_but_cannot_start_or_cancel_one) + "-reader");
        await reader.SignInAsync((string)created["key"]!);
        await reader.GoToAsync("simulation/secured-what-if");
        await Assertions.Expect(reader.Page.GetByTestId("read-only")).ToBeVisibleAsync();
        await Assertions.Expect(reader.Page.GetByTestId("launch")).ToHaveCountAsync(0);
        await Assertions.Expect(reader.Page.Locator("[data-testid=run-results][data-run=secured-what-if] [data-testid=kpis] tr[data-scenario]")).ToHaveCountAsync(2);
    }

    private async Task<string> Send(HttpMethod method, string path, string body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        using var response = await _owner.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path} -> {(int)response.StatusCode}: {text}");
        return text;
    }
}
