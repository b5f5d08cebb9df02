using System.Text.Json.Nodes;
using Doppel.IntegrationTests.Support;
using Microsoft.Playwright;

namespace Doppel.IntegrationTests.WebConsole;

/// <summary>
/// The foresight pack's fleet page in a real browser over a server holding the sample fleet: each engine's predicted
/// remaining life and its interval as the twins hold them, the engines most at risk first, each linked to its twin,
/// and a prediction written later moving its engine live.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class FleetPageTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly ServerFixture _server = new();

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        using var loaded = await _server.SendAsync(HttpMethod.Post, "/doppel/samples/engines/load");
        Assert.True(loaded.IsSuccessStatusCode, await loaded.Content.ReadAsStringAsync());
    }

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task The_fleet_page_shows_each_engines_rul_and_interval_from_its_twin_riskiest_first_and_follows_new_predictions()
    {
        // Given three engines whose predictor wrote their remaining life and interval
        await PredictAsync("engine-042", 80, 60, 100);
        await PredictAsync("engine-007", 12.5, 4, 21);
        await PredictAsync("engine-013", 35, 20, 50);

        // When the fleet page opens
        await using var tab = await browser.OpenAsync(_server.Server.HttpAddress!, nameof(The_fleet_page_shows_each_engines_rul_and_interval_from_its_twin_riskiest_first_and_follows_new_predictions), "packs/foresight/fleet?twin=fleet-1");
        var page = tab.Page;
        var rows = page.Locator("[data-testid=engines] tbody tr");

        // Then every engine has a row, those with a prediction first, lowest lower end first, with the twins' values
        await Assertions.Expect(rows).ToHaveCountAsync(100);
        await Assertions.Expect(page.GetByTestId("live-status")).ToHaveAttributeAsync("data-status", "open");
        await Assertions.Expect(rows.Nth(0)).ToHaveAttributeAsync("data-engine", "engine-007");
        Assert.Equal(
            ["engine-007 12.5 4 21 high", "engine-013 35 20 50 medium", "engine-042 80 60 100 low", "engine-001    unknown"],
            await rows.EvaluateAllAsync<string[]>("rows => rows.slice(0, 4).map(r => [r.dataset.engine, r.dataset.rul, r.dataset.lower, r.dataset.upper, r.dataset.risk].join(' '))"));
        await Assertions.Expect(rows.Nth(0)).ToContainTextAsync("12.5");
        await Assertions.Expect(rows.Nth(0)).ToContainTextAsync("4 – 21");
        await Assertions.Expect(rows.Nth(0).Locator("svg")).ToHaveAttributeAsync("aria-label", "12.5 cycles, interval 4 to 21");
        await Assertions.Expect(rows.Nth(0).Locator("a")).ToHaveAttributeAsync("href", "#/twins/engine-007");
        await Assertions.Expect(page.GetByTestId("fleet-summary")).ToContainTextAsync("100 engines, 3 with a prediction, 1 at high risk");

        // And a prediction written now moves its engine to the top, live
        await PredictAsync("engine-099", 3, 0, 9);
        await Assertions.Expect(rows.Nth(0)).ToHaveAttributeAsync("data-engine", "engine-099");
        await Assertions.Expect(rows.Nth(0)).ToHaveAttributeAsync("data-rul", "3");
        await Assertions.Expect(page.GetByTestId("fleet-summary")).ToContainTextAsync("4 with a prediction, 2 at high risk");
        await tab.ScreenshotAsync("fleet");
    }

    /// <summary>Writes a prediction on an engine twin as its predictor does: the properties rul, rulLower, rulUpper and rulPredictor.</summary>
    private async Task PredictAsync(string engine, double rul, double lower, double upper)
    {
        var patch = new JsonArray(
            new JsonObject { ["op"] = "add", ["path"] = "/rul", ["value"] = rul },
            new JsonObject { ["op"] = "add", ["path"] = "/rulLower", ["value"] = lower },
            new JsonObject { ["op"] = "add", ["path"] = "/rulUpper", ["value"] = upper },
            new JsonObject { ["op"] = "add", ["path"] = "/rulPredictor", ["value"] = "engines@1" });
        using var response = await _server.SendAsync(HttpMethod.Patch, $"/digitaltwins/{engine}", patch.ToJsonString(), "application/json-patch+json");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}
