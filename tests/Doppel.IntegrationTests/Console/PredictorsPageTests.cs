using Doppel.IntegrationTests.Support;
using Microsoft.Playwright;

namespace Doppel.IntegrationTests.WebConsole;

/// <summary>The predictors page in a real browser: the registry's predictors listed with their metrics and assignments, and one predictor's versions.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class PredictorsPageTests(BrowserFixture browser, ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task The_page_lists_predictors_with_what_they_serve_and_shows_one_predictors_versions()
    {
        const string Model = "dtmi:test:console:Turbofan;1";
        await server.PutModelsAsync($"[{Turbofans.Model(Model)}]");
        await PredictorTests.UploadAsync(server, "engines", 1);
        await PredictorTests.UploadAsync(server, "engines", 2);
        await server.SendOkAsync(HttpMethod.Put, $"/doppel/predictors/engines/assignments/{Uri.EscapeDataString(Model)}", """{"version":1}""");
        await using var tab = await browser.OpenAsync(server.Server.HttpAddress!, nameof(The_page_lists_predictors_with_what_they_serve_and_shows_one_predictors_versions), "predictors");
        var page = tab.Page;

        var row = page.Locator("table.predictors tbody tr", new() { HasTextString = "engines" });
        await Assertions.Expect(row).ToContainTextAsync($"{Model} (v1)");
        await Assertions.Expect(row.Locator("td").Nth(1)).ToHaveTextAsync("2");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Predictors" })).ToBeVisibleAsync();

        await row.ClickAsync();
        await Assertions.Expect(page.GetByTestId("predictor-detail")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("table.predictor-versions tbody tr")).ToHaveCountAsync(2);
        await Assertions.Expect(page.GetByTestId("predictor-channels")).ToContainTextAsync("cycle");
        await tab.ScreenshotAsync("predictors");
    }
}
