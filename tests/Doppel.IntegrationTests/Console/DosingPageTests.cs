using Doppel.IntegrationTests.Support;
using Doppel.Packs.Health.Drugs;
using Microsoft.Playwright;

namespace Doppel.IntegrationTests.WebConsole;

/// <summary>
/// The health pack's dosing page in a real browser: the patient's levels posted as a vancomycin-dosing file, the
/// recommendation drawn with its posterior (the same as the library computes), and a bad entry shown as an error.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class DosingPageTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly ServerFixture _server = new();

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task The_dosing_page_recommends_a_regimen_with_its_posterior_and_curves_and_shows_bad_input_as_an_error()
    {
        await using var tab = await browser.OpenAsync(_server.Server.HttpAddress!, nameof(The_dosing_page_recommends_a_regimen_with_its_posterior_and_curves_and_shows_bad_input_as_an_error), "packs/health/dosing");
        var page = tab.Page;

        // When a 60-year-old woman of 70 kg (SCr 0.9) on 1000 mg q12h has two levels
        await page.Locator("input[name=weight]").FillAsync("70");
        await page.Locator("input[name=age]").FillAsync("60");
        await page.Locator("input[name=scr]").FillAsync("0.9");
        await page.Locator("input[name=female]").CheckAsync();
        await page.Locator("input[name=dose]").FillAsync("1000");
        await page.Locator("input[name=duration]").FillAsync("1");
        await page.Locator("textarea[name=levels]").FillAsync("38 27.5\n47.5 12.4");
        await page.GetByTestId("recommend").ClickAsync();

        // Then the page shows what the library recommends for her, with the posterior of her parameters
        var covariates = new Dictionary<string, double> { ["weight"] = 70, ["crcl"] = VirtualPopulation.CreatinineClearance(60, 70, true, 0.9), ["dialysis"] = 0 };
        var fit = BayesianEstimator.Fit(Vancomycin.Goti2018, covariates, new DosingRegimen(1000, 12, 4).Doses(), [new Level(38, 27.5), new Level(47.5, 12.4)]).Value!;
        var expected = DoseFinder.Recommend(fit, new DoseTarget()).Value!;
        var recommendation = page.GetByTestId("recommendation");
        await Assertions.Expect(recommendation).ToHaveAttributeAsync("data-dose", expected.Regimen.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(recommendation).ToHaveAttributeAsync("data-interval", expected.Regimen.Interval.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(recommendation.Locator("h2")).ToHaveTextAsync($"Recommended: {expected.Regimen}");
        await Assertions.Expect(page.GetByTestId("auc-posterior")).ToContainTextAsync($"posterior median {Math.Round(expected.Auc24Median)}");
        await Assertions.Expect(page.Locator("[data-testid=posterior] tr[data-parameter=CL]")).ToHaveAttributeAsync("data-map", Math.Round(fit.Parameters.CL, 3).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(page.GetByTestId("current")).ToContainTextAsync("Staying on 1000 mg q12h");
        // And the curves: both regimens' bands and lines, and the two levels as dots
        var curves = page.GetByTestId("curves");
        await Assertions.Expect(curves.Locator("path[data-series]")).ToHaveCountAsync(4);
        await Assertions.Expect(curves.Locator("circle[data-level]")).ToHaveCountAsync(2);
        await tab.ScreenshotAsync("dosing");

        // And a negative dose comes back as the server's error, in the page
        tab.ExpectConsoleError("400");
        await page.Locator("input[name=dose]").FillAsync("-1000");
        await page.GetByTestId("recommend").ClickAsync();
        await Assertions.Expect(page.Locator(".error, [role=alert]").First).ToContainTextAsync("the dose must be more than 0 mg");
        await Assertions.Expect(page.GetByTestId("recommendation")).ToHaveCountAsync(0);
    }
}
