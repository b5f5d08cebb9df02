using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Doppel.IntegrationTests.Support;
using Microsoft.Playwright;
using MQTTnet;
using Xunit.Abstractions;

namespace Doppel.IntegrationTests.WebConsole;

/// <summary>
/// The simulation page and the packs' pages in a real browser against <c>doppel demo</c> (the sample factory live over
/// MQTT): each loads without a browser error (a screenshot each), a what-if launched from the page shows its progress
/// and then its results, and the factory line is drawn with its stations coloured by state and follows them live.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed partial class SimulationAndFactoryPageTests(BrowserFixture browser, DemoFixture demo, ITestOutputHelper output) : IClassFixture<DemoFixture>
{
    [Fact]
    public async Task The_simulation_page_and_the_packs_pages_load_without_a_browser_error()
    {
        // The greenhouse pack (which the host does not know) adds a page too; its sample gives the page something to show.
        using var http = new HttpClient { BaseAddress = demo.Address };
        using var loaded = await http.PostAsync("/doppel/samples/greenhouse/load", null);
        Assert.True(loaded.IsSuccessStatusCode, await loaded.Content.ReadAsStringAsync());

        await using var tab = await browser.OpenAsync(demo.Address, nameof(The_simulation_page_and_the_packs_pages_load_without_a_browser_error), "simulation");
        await Assertions.Expect(tab.Page.GetByTestId("simulation-page")).ToBeVisibleAsync();
        // The fork form is built from the packs' scenario kinds: the line kind offers the demo's line.
        await tab.Page.GetByTestId("fork-form").Locator("select[name=kind]").SelectOptionAsync("line");
        await Assertions.Expect(tab.Page.GetByTestId("fork-form").Locator("select[name=twin]")).ToHaveValueAsync("line-1");
        await Assertions.Expect(tab.Page.GetByTestId("fork-form").Locator("input[name=replications]")).ToHaveValueAsync("10");
        // The packs' pages are in the navigation, from GET /doppel/packs.
        await Assertions.Expect(tab.Page.Locator("nav.side a", new() { HasText = "Factory line" })).ToHaveAttributeAsync("href", "#/packs/manufacturing/line");
        await Assertions.Expect(tab.Page.Locator("nav.side a", new() { HasText = "Greenhouses" })).ToHaveAttributeAsync("href", "#/packs/greenhouse/greenhouses");
        await tab.ScreenshotAsync("simulation");

        await tab.Page.Locator("nav.side a", new() { HasText = "Greenhouses" }).ClickAsync();
        await Assertions.Expect(tab.Page.Locator("[data-testid=greenhouse-page] tr[data-twin]")).ToHaveCountAsync(2);
        await tab.ScreenshotAsync("greenhouses");

        await tab.Page.Locator("nav.side a", new() { HasText = "Factory line" }).ClickAsync();
        await Assertions.Expect(tab.Page.Locator("[data-testid=stations] tr[data-station]")).ToHaveCountAsync(5);
        await Assertions.Expect(tab.Page.GetByTestId("live-status")).ToHaveAttributeAsync("data-status", "open");
    }

    [Fact]
    public async Task A_what_if_launched_from_the_simulation_page_shows_its_progress_and_then_its_results()
    {
        await using var tab = await browser.OpenAsync(demo.Address, nameof(A_what_if_launched_from_the_simulation_page_shows_its_progress_and_then_its_results), "simulation");
        var page = tab.Page;
        var form = page.GetByTestId("fork-form");
        await form.Locator("select[name=kind]").SelectOptionAsync("line");
        await Assertions.Expect(form.Locator("select[name=twin]")).ToHaveValueAsync("line-1");

        // Given a fork of the live line with one what-if, long enough to be seen running
        await form.Locator("input[name=name]").FillAsync("ui-what-if");
        await form.Locator("input[name=duration]").FillAsync("20000");
        await form.Locator("input[name=warmup]").FillAsync("1000");
        await form.Locator("input[name=replications]").FillAsync("40");
        await form.Locator("input[name=seed]").FillAsync("7");
        await form.GetByLabel("what-if name").FillAsync("bigger-buffers");
        await form.GetByLabel("what-if changes").FillAsync("""{"buffers": [10, 10, 10, 10]}""");
        // Every state the run's row shows is recorded as the page renders it.
        await page.EvaluateAsync("""
            () => {
              window.seen = [];
              new MutationObserver(() => {
                const row = document.querySelector('tr[data-run="ui-what-if"]');
                const bar = row?.querySelector('progress');
                if (row) window.seen.push(`${row.dataset.status} ${bar?.value}/${bar?.max}`);
              }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
            }
            """);

        // When it is launched from the page
        await page.GetByTestId("launch-fork").ClickAsync();

        // Then its row shows it going, then its results come: KPIs with intervals, the comparison, the chart
        var results = page.Locator("[data-testid=run-results][data-run=ui-what-if]");
        await Assertions.Expect(results).ToBeVisibleAsync(new() { Timeout = 120_000 });
        await Assertions.Expect(page.Locator("tr[data-run=ui-what-if]")).ToHaveAttributeAsync("data-status", "succeeded");
        var seen = await page.EvaluateAsync<string[]>("() => window.seen");
        Assert.Contains(seen, s => PartialProgress().Match(s) is { Success: true } m && int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) is > 0 and < 80);
        Assert.Contains("succeeded 80/80", seen);
        await Assertions.Expect(results.Locator("[data-testid=kpis] tr[data-scenario]")).ToHaveCountAsync(2);
        await Assertions.Expect(results.Locator("[data-testid=kpis] tr[data-scenario=baseline] td[data-kpi=throughput]")).ToHaveTextAsync(Interval());
        await Assertions.Expect(results.Locator("[data-testid=comparisons] tr[data-scenario=bigger-buffers]")).ToContainTextAsync("%");
        await Assertions.Expect(results.Locator("[data-testid=kpi-chart] canvas")).ToHaveCountAsync(1);
        await tab.ScreenshotAsync("results", fullPage: true);

        // And the figures are the run's own, as the API gives them
        using var http = new HttpClient { BaseAddress = demo.Address };
        var run = JsonNode.Parse(await http.GetStringAsync("/doppel/runs/ui-what-if"))!;
        Assert.Equal("line-1", (string?)run["request"]!["twin"]);
        Assert.Equal(40, (int)run["request"]!["run"]!["replications"]!);
        var mean = (double)run["result"]!["scenarios"]![0]!["kpis"]!["throughput"]!["mean"]!;
        await Assertions.Expect(results.Locator("[data-testid=kpis] tr[data-scenario=baseline] td[data-kpi=throughput]"))
            .ToContainTextAsync(double.Parse(mean.ToString("G4", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_scenario_file_run_from_the_page_can_be_cancelled_and_one_optimized_shows_the_optimizers_report()
    {
        await using var tab = await browser.OpenAsync(demo.Address, nameof(A_scenario_file_run_from_the_page_can_be_cancelled_and_one_optimized_shows_the_optimizers_report), "simulation");
        var page = tab.Page;
        await page.GetByRole(AriaRole.Tab, new() { Name = "Scenario file" }).ClickAsync();
        var form = page.GetByTestId("file-form");

        // A long file is launched, then cancelled from its row
        await form.Locator("textarea[name=scenario]").FillAsync(Scenarios.Named("ui-long", Scenarios.Long));
        await page.GetByTestId("launch-file").ClickAsync();
        var row = page.Locator("tr[data-run=ui-long]");
        await Assertions.Expect(row).ToHaveAttributeAsync("data-status", new Regex("^(queued|running)$"));
        await row.GetByTestId("cancel").ClickAsync();
        await Assertions.Expect(row).ToHaveAttributeAsync("data-status", "cancelled", new() { Timeout = 60_000 });

        // A small file with its optimize section, optimized: the pack's report, texts and the table of allocations
        var yaml = Scenarios.Named("ui-optimize", Scenarios.Experiment(replications: 3, duration: 2000)
            .Replace("generations: 10", "generations: 2", StringComparison.Ordinal).Replace("population: 12", "population: 4", StringComparison.Ordinal));
        await form.Locator("textarea[name=scenario]").FillAsync(yaml);
        await form.Locator("input[name=optimize]").CheckAsync();
        await page.GetByTestId("launch-file").ClickAsync();
        var report = page.Locator("[data-testid=run-results][data-run=ui-optimize] [data-testid=optimizer-report]");
        await Assertions.Expect(report).ToBeVisibleAsync(new() { Timeout = 120_000 });
        await Assertions.Expect(page.Locator("tr[data-run=ui-optimize] td").Nth(1)).ToHaveTextAsync("optimization");
        await Assertions.Expect(report.Locator("p").First).ToContainTextAsync("Searched ");
        await Assertions.Expect(report.Locator("tbody tr").First).ToContainTextAsync(new Regex(@"best\s*\[\d+, \d+, \d+, \d+\]"));
        await Assertions.Expect(report).ToContainTextAsync("against the baseline");
        await tab.ScreenshotAsync("report", fullPage: true);
    }

    [Fact]
    public async Task The_factory_page_draws_the_line_coloured_by_state_and_follows_it_live()
    {
        await using var tab = await browser.OpenAsync(demo.Address, nameof(The_factory_page_draws_the_line_coloured_by_state_and_follows_it_live), "packs/manufacturing/line?twin=line-1");
        var page = tab.Page;
        var drawing = page.GetByTestId("line-drawing");

        // The line in flow order, each station with the state its twin holds, the buffers with their levels
        await Assertions.Expect(page.Locator("[data-testid=stations] tr[data-station]")).ToHaveCountAsync(5);
        Assert.Equal(["press", "weld", "paint", "inspect", "pack"], await page.Locator("[data-testid=stations] tr[data-station]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.station)"));
        await Assertions.Expect(page.Locator("[data-testid=buffers] tr[data-buffer]")).ToHaveCountAsync(4);
        await Assertions.Expect(drawing).ToHaveAttributeAsync("data-states", StationStates());
        await Assertions.Expect(page.GetByTestId("live-status")).ToHaveAttributeAsync("data-status", "open");

        // The controller's reports arrive live: buffer levels move and the throughput chart (history first) gains points
        await Assertions.Expect(page.GetByTestId("throughput-chart")).ToHaveAttributeAsync("data-points", new Regex("^[1-9]"));
        var newest = double.Parse((await page.GetByTestId("throughput-chart").GetAttributeAsync("data-newest"))!, System.Globalization.CultureInfo.InvariantCulture);
        var levels = await BufferLevelsAsync(page);
        await page.WaitForFunctionAsync(
            "before => [...document.querySelectorAll('[data-testid=buffers] tr[data-buffer]')].map(r => r.dataset.level).join(',') !== before",
            levels, new() { Timeout = 60_000 });
        await page.WaitForFunctionAsync(
            "before => Number(document.querySelector('[data-testid=throughput-chart]').dataset.newest) > before", newest, new() { Timeout = 60_000 });

        // A station's state published over MQTT (with a later source time than the controller's, so it stands) shows at once
        var broker = demo.MqttPort;
        using var mqtt = await Mqtt.ConnectAsync(broker, "console-test");
        var sourceTime = DateTimeOffset.UtcNow.AddMinutes(4).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        var published = System.Diagnostics.Stopwatch.StartNew();
        await mqtt.PublishAsync("doppel/twins/weld/properties", $$"""{"state": "down", "$sourceTime": "{{sourceTime}}"}""");
        await Assertions.Expect(page.Locator("[data-testid=stations] tr[data-station=weld]")).ToHaveAttributeAsync("data-state", "down", new() { Timeout = 10_000 });
        // Measured, not asserted beyond the timeout: from the PUBLISH to the page showing it (Playwright polls the DOM).
        output.WriteLine($"MQTT publish to the line page showing the state: {published.ElapsedMilliseconds} ms");
        await Assertions.Expect(drawing).ToHaveAttributeAsync("data-states", new Regex("(^|,)weld:down(,|$)"));
        await tab.ScreenshotAsync("weld-down");
        await mqtt.DisconnectAsync();

        // And the line is forked into a what-if from its page: the simulation page opens with its kind and twin chosen
        await page.GetByTestId("what-if-link").ClickAsync();
        await Assertions.Expect(page.GetByTestId("fork-form").Locator("select[name=kind]")).ToHaveValueAsync("line");
        await Assertions.Expect(page.GetByTestId("fork-form").Locator("select[name=twin]")).ToHaveValueAsync("line-1");
    }

    private static Task<string> BufferLevelsAsync(IPage page) =>
        page.EvaluateAsync<string>("() => [...document.querySelectorAll('[data-testid=buffers] tr[data-buffer]')].map(r => r.dataset.level).join(',')");

    [GeneratedRegex(@"^running (\d+)/80$")]
    private static partial Regex PartialProgress();

    [GeneratedRegex(@"^-?\d+(\.\d+)?(e[-+]?\d+)? ± \d+(\.\d+)?(e[-+]?\d+)?$")]
    private static partial Regex Interval();

    [GeneratedRegex(@"^press:(working|starved|blocked|down|cooling|setup|maintenance|offShift),weld:\w+,paint:\w+,inspect:\w+,pack:\w+$")]
    private static partial Regex StationStates();
}
