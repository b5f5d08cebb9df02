using Doppel.IntegrationTests.Support;
using Microsoft.Playwright;

namespace Doppel.IntegrationTests.WebConsole;

/// <summary>The console's Models, Twins and Query pages against the running factory demo, in a real browser.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsolePagesTests(BrowserFixture browser, DemoFixture demo) : IClassFixture<DemoFixture>
{
    private const string Station = "dtmi:doppel:manufacturing:Station;1";

    [Theory]
    [InlineData("overview", "h1", "Overview")]
    [InlineData("models", "[data-testid=model-tree]", "Hierarchy scope")]
    [InlineData("models/" + Station, "[data-testid=model-detail]", "temperature")]
    [InlineData("twins", ".twin-list", "weld")]
    [InlineData("twins?model=" + Station, ".twin-list", "paint")]
    [InlineData("query", "[data-testid=run-query]", "Run")]
    [InlineData("twins/weld", "[data-testid=relationships]", "line-1")]
    [InlineData("twins/weld?tab=live", "[data-testid=live] .live-chart[data-name=temperature]", "temperature")]
    [InlineData("twins/weld?tab=history", "[data-testid=history] .history-chart[data-name=temperature]", "temperature")]
    public async Task Every_page_loads_without_a_browser_error_and_shows_its_content(string route, string selector, string text)
    {
        var name = "page-" + new string([.. route.Select(c => char.IsLetterOrDigit(c) ? c : '-')]).Trim('-');
        await using var tab = await browser.OpenAsync(demo.Address, name, route);

        await Assertions.Expect(tab.Page.Locator(selector).First).ToContainTextAsync(text);
        await Assertions.Expect(tab.Page.Locator(".loading")).ToHaveCountAsync(0);
        if (route == "twins/weld?tab=live" && Environment.GetEnvironmentVariable("DOPPEL_UPDATE_SCREENSHOTS") == "1")
        {
            // The README's picture: the demo's weld station, live (eng/console-screenshots.sh sets the variable).
            await Assertions.Expect(tab.Page.Locator(".live-chart[data-name=temperature]")).ToHaveAttributeAsync("data-points", new System.Text.RegularExpressions.Regex("^[2-9][0-9]+$"));
            await tab.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Repository.Root, "docs", "images", "console.png") });
        }
    }

    [Fact]
    public async Task A_live_chart_receives_new_points_from_the_event_stream()
    {
        await using var tab = await browser.OpenAsync(demo.Address, nameof(A_live_chart_receives_new_points_from_the_event_stream), "twins/weld?tab=live");
        var chart = tab.Page.Locator(".live-chart[data-name=temperature]");
        await Assertions.Expect(tab.Page.Locator("[data-testid=live] .badge")).ToHaveTextAsync("open");

        await Assertions.Expect(chart).ToHaveAttributeAsync("data-points", new System.Text.RegularExpressions.Regex("^[0-9]+$"));
        var first = int.Parse((await chart.GetAttributeAsync("data-points"))!, System.Globalization.CultureInfo.InvariantCulture);
        await tab.Page.WaitForFunctionAsync($"document.querySelector('.live-chart[data-name=temperature]').dataset.points >= {first + 3}");
        // uPlot drew them: its canvas is there and the series' legend names the telemetry.
        await Assertions.Expect(chart.Locator("canvas")).ToHaveCountAsync(1);
        await Assertions.Expect(chart.Locator(".u-title")).ToHaveTextAsync("temperature");
    }

    [Fact]
    public async Task A_query_runs_and_shows_its_rows()
    {
        await using var tab = await browser.OpenAsync(demo.Address, nameof(A_query_runs_and_shows_its_rows), "query");
        await tab.Page.GetByLabel("Query").FillAsync($"SELECT T.$dtId, T.state FROM DIGITALTWINS T\nWHERE IS_OF_MODEL(T, '{Station}')");
        await tab.Page.GetByTestId("run-query").ClickAsync();

        await Assertions.Expect(tab.Page.GetByTestId("row-count")).ToContainTextAsync("5 rows");
        var rows = tab.Page.Locator(".query-results tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(5);
        await Assertions.Expect(tab.Page.Locator(".query-results thead")).ToContainTextAsync("state");
        foreach (var station in new[] { "press", "weld", "paint", "inspect", "pack" })
        {
            await Assertions.Expect(tab.Page.Locator(".query-results tbody a", new PageLocatorOptions { HasTextString = station }).First).ToBeVisibleAsync();
        }
    }

    [Fact]
    public async Task A_bad_query_shows_the_line_and_column_of_its_error_and_marks_them_in_the_editor()
    {
        await using var tab = await browser.OpenAsync(demo.Address, nameof(A_bad_query_shows_the_line_and_column_of_its_error_and_marks_them_in_the_editor), "query");
        // The query language's error is a 400; Chromium logs the failed request.
        tab.ExpectConsoleError("status of 400");
        await tab.Page.GetByLabel("Query").FillAsync("SELECT *\nFROM DIGITALTWINS T\nWHERE T.state = ");
        await tab.Page.GetByLabel("Query").PressAsync("Control+Enter");

        var error = tab.Page.GetByTestId("code-error");
        await Assertions.Expect(error).ToContainTextAsync("Line 3, column 16");
        await Assertions.Expect(error).ToContainTextAsync("expected a value");
        await Assertions.Expect(tab.Page.Locator(".code-editor .gutter .bad")).ToHaveTextAsync("3");
        await Assertions.Expect(error.Locator("pre.caret")).ToContainTextAsync("WHERE T.state =");
        // The cursor is put where the error is.
        Assert.Equal("SELECT *\nFROM DIGITALTWINS T\n".Length + 15, await tab.Page.GetByLabel("Query").EvaluateAsync<int>("e => e.selectionStart"));
    }

    [Fact]
    public async Task Twins_are_found_by_model_id_and_property_and_the_search_is_shown_as_its_query()
    {
        await using var tab = await browser.OpenAsync(demo.Address, nameof(Twins_are_found_by_model_id_and_property_and_the_search_is_shown_as_its_query), "twins");
        var search = tab.Page.GetByTestId("twin-search");
        await search.Locator("select[name=model]").SelectOptionAsync(Station);
        await search.Locator("input[name=id]").FillAsync("p");
        await search.Locator("input[name=prop]").FillAsync("scrapRate");
        await search.Locator("select[name=op]").SelectOptionAsync(">=");
        await search.Locator("input[name=value]").FillAsync("0");
        await search.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Search" }).ClickAsync();

        // press, paint, inspect and pack have a "p" in their ids; weld has none.
        await Assertions.Expect(tab.Page.Locator(".twin-list tbody tr")).ToHaveCountAsync(4);
        await Assertions.Expect(tab.Page.Locator(".twin-list")).Not.ToContainTextAsync("weld");
        await Assertions.Expect(tab.Page.Locator("main")).ToContainTextAsync($"IS_OF_MODEL(T, '{Station}') AND CONTAINS(T.$dtId, 'p') AND T.scrapRate >= 0");
    }

    [Fact]
    public async Task History_follows_the_aggregate_bucket_and_raw_pickers_and_exports_a_CSV_download()
    {
        await using var tab = await browser.OpenAsync(demo.Address, nameof(History_follows_the_aggregate_bucket_and_raw_pickers_and_exports_a_CSV_download), "twins/weld?tab=history");
        var chart = tab.Page.Locator(".history-chart[data-name=temperature]");
        await Assertions.Expect(chart).ToContainTextAsync("of 30s");

        await tab.Page.GetByLabel("Bucket").SelectOptionAsync("1s");
        await Assertions.Expect(chart).ToContainTextAsync("of 1s");
        await tab.Page.GetByRole(AriaRole.Checkbox, new PageGetByRoleOptions { Name = "stddev" }).CheckAsync();
        await Assertions.Expect(chart.Locator(".u-legend")).ToContainTextAsync("stddev");
        await tab.Page.GetByLabel("Points").SelectOptionAsync("raw");
        await Assertions.Expect(chart).ToContainTextAsync("points)");
        await Assertions.Expect(chart).Not.ToHaveAttributeAsync("data-count", "0");

        var download = await tab.Page.RunAndWaitForDownloadAsync(() => tab.Page.GetByTestId("export-csv").ClickAsync());
        Assert.EndsWith(".csv", download.SuggestedFilename, StringComparison.Ordinal);
        using var reader = new StreamReader(await download.CreateReadStreamAsync());
        Assert.Equal("twinId,name,kind,time,value", await reader.ReadLineAsync());
        var rows = (await reader.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.StartsWith("weld,", r, StringComparison.Ordinal));
        Assert.Contains(rows, r => r.StartsWith("weld,temperature,telemetry,", StringComparison.Ordinal));
        await Assertions.Expect(tab.Page.GetByTestId("exported")).ToContainTextAsync(download.SuggestedFilename);
    }
}
