using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Doppel.IntegrationTests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Doppel.IntegrationTests.WebConsole;

/// <summary>
/// The rules and alerts pages in a real browser against a real server and a real MQTT device: a rule made in the UI
/// fires on a violating reading, the alert shows within 2 s, is acknowledged there and resolves when readings return
/// to normal; the editor shows where a bad rule is wrong; a backtest says how often, when and where a rule would have fired.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class AlertsPageTests(BrowserFixture browser, ServerFixture server, ITestOutputHelper output) : IClassFixture<ServerFixture>, IAsyncLifetime
{
    private const string Pump = "dtmi:test:console:Pump;1";

    public async Task InitializeAsync()
    {
        // One server for the class: the model is there after the first test.
        using var models = await server.SendAsync(HttpMethod.Post, "/models", $$"""
            [{"@context":"dtmi:dtdl:context;3","@id":"{{Pump}}","@type":"Interface","contents":[{"@type":"Telemetry","name":"temperature","schema":"double"}]}]
            """);
        Assert.True(models.IsSuccessStatusCode || (int)models.StatusCode == 409, $"POST /models -> {(int)models.StatusCode}");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_rule_made_in_the_UI_fires_on_an_MQTT_reading_shows_within_2_s_is_acknowledged_there_and_resolves()
    {
        const string Twin = "pump-e2e";
        await server.SendOkAsync(HttpMethod.Put, $"/digitaltwins/{Twin}", $$$"""{"$metadata":{"$model":"{{{Pump}}}"}}""");
        await using var tab = await browser.OpenAsync(server.Server.HttpAddress!, nameof(A_rule_made_in_the_UI_fires_on_an_MQTT_reading_shows_within_2_s_is_acknowledged_there_and_resolves), "rules/new");
        var page = tab.Page;

        // The rule, made in the form: raise above 90, clear below 85, only for this twin.
        await page.GetByTestId("rule-id").FillAsync("hot-e2e");
        await page.GetByTestId("rule-scope-kind").SelectOptionAsync("query");
        await page.GetByTestId("rule-scope").FillAsync($"SELECT * FROM DIGITALTWINS WHERE $dtId = '{Twin}'");
        await page.Locator("textarea[name=condition]").FillAsync("temperature > 90");
        await page.Locator("textarea[name=clear]").FillAsync("temperature < 85");
        await page.GetByTestId("rule-severity").SelectOptionAsync("critical");
        await page.GetByTestId("rule-message").FillAsync("{twinId} runs hot: {value} °C");
        await page.GetByTestId("rule-save").ClickAsync();
        await Assertions.Expect(page.Locator("table.table td", new() { HasTextString = "hot-e2e" })).ToBeVisibleAsync();
        var stored = await server.SendOkAsync(HttpMethod.Get, "/doppel/rules/hot-e2e");
        Assert.Equal(("temperature > 90", "temperature < 85", "critical"), ((string)stored["condition"]!, (string)stored["clear"]!, (string)stored["severity"]!));
        await tab.ScreenshotAsync("rule");

        await tab.GoToAsync("alerts");
        await Assertions.Expect(page.GetByTestId("alerts-live")).ToHaveAttributeAsync("data-status", "open");
        await Assertions.Expect(page.GetByTestId("alerts-empty")).ToBeVisibleAsync();
        using var device = await Mqtt.ConnectAsync(server.Server.MqttPort!.Value, "device-" + Twin);

        var clock = Stopwatch.StartNew();
        await device.PublishAsync($"doppel/twins/{Twin}/telemetry", """{"temperature":95}""");
        var row = page.Locator($"[data-testid=alert-row][data-twin={Twin}]");
        await Assertions.Expect(row).ToBeVisibleAsync(new() { Timeout = 2_000 });
        var shownAfter = clock.Elapsed;
        await Assertions.Expect(row).ToContainTextAsync("pump-e2e runs hot: 95 °C");
        await Assertions.Expect(row).ToHaveAttributeAsync("data-state", "raised");
        output.WriteLine($"alert shown in the UI {shownAfter.TotalMilliseconds:0} ms after the MQTT publish began");
        await File.WriteAllTextAsync(Path.Combine(ConsolePage.ArtifactsFolder, "alert-latency.txt"),
            string.Create(CultureInfo.InvariantCulture, $"MQTT publish (QoS 1) to the alert's row in the alerts page: {shownAfter.TotalMilliseconds:0} ms\n"));
        await tab.ScreenshotAsync("raised");

        await row.GetByTestId("alert-ack").ClickAsync();
        await row.GetByTestId("alert-ack-note").FillAsync("looking at it");
        await row.GetByTestId("alert-ack-confirm").ClickAsync();
        await Assertions.Expect(row).ToHaveAttributeAsync("data-state", "acknowledged");
        await Assertions.Expect(row).ToContainTextAsync("looking at it");
        var id = await row.GetAttributeAsync("data-alert-id");
        var acknowledged = await server.SendOkAsync(HttpMethod.Get, $"/doppel/alerts/{id}");
        Assert.Equal(("acknowledged", "looking at it"), ((string)acknowledged["state"]!, (string)acknowledged["acknowledged"]!["note"]!));

        // 88 is inside the hysteresis band: still open; 80 clears it, and it leaves the open list.
        await device.PublishAsync($"doppel/twins/{Twin}/telemetry", """{"temperature":88}""");
        await device.PublishAsync($"doppel/twins/{Twin}/telemetry", """{"temperature":80}""");
        await Assertions.Expect(row).ToHaveCountAsync(0);
        await page.GetByTestId("alerts-state").SelectOptionAsync("resolved");
        await Assertions.Expect(row).ToHaveAttributeAsync("data-state", "resolved");
        await Assertions.Expect(row).ToContainTextAsync("cleared");
        await row.ClickAsync();
        await Assertions.Expect(page.GetByTestId("alert-transitions").Locator("li")).ToHaveCountAsync(3);
    }

    [Fact]
    public async Task The_editor_points_at_the_error_in_a_condition()
    {
        await using var tab = await browser.OpenAsync(server.Server.HttpAddress!, nameof(The_editor_points_at_the_error_in_a_condition), "rules/new");
        // Chromium logs the refused PUT (400) in the console: expected here.
        tab.ExpectConsoleError("status of 400");
        var page = tab.Page;

        await page.GetByTestId("rule-id").FillAsync("bad-rule");
        await page.GetByTestId("rule-scope").FillAsync(Pump);
        await page.Locator("textarea[name=condition]").FillAsync("temperature > 90 AND\ntemperature >> 1");
        await page.GetByTestId("rule-save").ClickAsync();

        await Assertions.Expect(page.Locator(".error-box")).ToContainTextAsync("RuleInvalid");
        await Assertions.Expect(page.Locator(".error-box")).ToContainTextAsync("condition: line 2, column");
        // The condition's editor marks line 2 and shows it with a caret under the column.
        var editor = page.Locator(".code-editor.has-error");
        await Assertions.Expect(editor).ToHaveCountAsync(1);
        await Assertions.Expect(editor.Locator(".gutter .bad")).ToHaveTextAsync("2");
        var caret = page.GetByTestId("code-error").Locator("pre.caret");
        await Assertions.Expect(caret).ToContainTextAsync("temperature >> 1");
        var column = int.Parse(System.Text.RegularExpressions.Regex.Match(await page.Locator(".error-box").InnerTextAsync(), @"line 2, column (\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
        var shown = (await caret.InnerTextAsync()).Split('\n');
        Assert.Equal(column - 1, shown[1].IndexOf('^', StringComparison.Ordinal));
        Assert.Equal('>', shown[0][column - 1]);
    }

    [Fact]
    public async Task A_backtest_shows_how_often_when_and_on_which_twins_a_rule_would_have_fired()
    {
        // Readings of the last hour: pump-b1 goes over 90 twice, pump-b2 never.
        await server.SendOkAsync(HttpMethod.Put, "/digitaltwins/pump-b1", $$$"""{"$metadata":{"$model":"{{{Pump}}}"}}""");
        await server.SendOkAsync(HttpMethod.Put, "/digitaltwins/pump-b2", $$$"""{"$metadata":{"$model":"{{{Pump}}}"}}""");
        var now = DateTimeOffset.UtcNow;
        var lines = string.Join("\n",
            new[] { (50, "pump-b1", 70), (45, "pump-b1", 95), (40, "pump-b1", 80), (30, "pump-b1", 96), (20, "pump-b1", 70), (45, "pump-b2", 60), (30, "pump-b2", 62) }
                .Select((r, i) => new JsonObject { ["twinId"] = r.Item2, ["values"] = new JsonObject { ["temperature"] = r.Item3 }, ["time"] = now.AddMinutes(-r.Item1).ToString("O", CultureInfo.InvariantCulture), ["messageId"] = $"b{i}" }.ToJsonString()));
        var ingested = await server.SendOkAsync(HttpMethod.Post, "/doppel/ingest", lines + "\n", "application/x-ndjson");
        Assert.Equal(7, (int)ingested["stored"]!);
        await server.SendOkAsync(HttpMethod.Put, "/doppel/rules/backtest-ui", """
            {"scope":{"query":"SELECT * FROM DIGITALTWINS WHERE STARTSWITH($dtId, 'pump-b')"},"condition":"temperature > 90","clear":"temperature < 85","severity":"minor","message":"{twinId} hot"}
            """);
        await using var tab = await browser.OpenAsync(server.Server.HttpAddress!, nameof(A_backtest_shows_how_often_when_and_on_which_twins_a_rule_would_have_fired), "rules/backtest-ui");
        var page = tab.Page;

        await page.Locator(".range-picker select").SelectOptionAsync("1h");
        await page.GetByTestId("rule-backtest-run").ClickAsync();

        var summary = page.GetByTestId("rule-backtest-summary");
        await Assertions.Expect(summary).ToHaveAttributeAsync("data-fired", "2");
        await Assertions.Expect(summary).ToContainTextAsync("on 1 of 2 twins in scope");
        var backtest = page.GetByTestId("rule-backtest");
        await Assertions.Expect(backtest.Locator("td", new() { HasTextString = "pump-b1" })).ToHaveCountAsync(3);
        await Assertions.Expect(backtest.Locator("td", new() { HasTextString = "pump-b2" })).ToHaveCountAsync(0);
        await Assertions.Expect(backtest.Locator(".uplot")).ToBeVisibleAsync();
        await tab.ScreenshotAsync("result", fullPage: true);
    }

    [Fact]
    public async Task The_graph_colours_twins_by_their_worst_open_alert_and_follows_new_alerts_live()
    {
        foreach (var twin in new[] { "pump-g1", "pump-g2" })
        {
            await server.SendOkAsync(HttpMethod.Put, $"/digitaltwins/{twin}", $$$"""{"$metadata":{"$model":"{{{Pump}}}"}}""");
        }
        await server.SendOkAsync(HttpMethod.Put, "/doppel/rules/graph-warm", """
            {"scope":{"query":"SELECT * FROM DIGITALTWINS WHERE STARTSWITH($dtId, 'pump-g')"},"condition":"temperature > 50","severity":"warning","message":"{twinId} warm"}
            """);
        await server.SendOkAsync(HttpMethod.Put, "/doppel/rules/graph-hot", """
            {"scope":{"query":"SELECT * FROM DIGITALTWINS WHERE STARTSWITH($dtId, 'pump-g')"},"condition":"temperature > 90","severity":"critical","message":"{twinId} hot"}
            """);
        await TelemetryAsync("pump-g1", 60, "g1");
        await Poll.UntilAsync(() => server.SendOkAsync(HttpMethod.Get, "/doppel/alerts?state=open&twinId=pump-g1"), a => a["value"]!.AsArray().Count == 1, "pump-g1's alert");
        await using var tab = await browser.OpenAsync(server.Server.HttpAddress!, nameof(The_graph_colours_twins_by_their_worst_open_alert_and_follows_new_alerts_live),
            "graph?colour=alerts&query=" + Uri.EscapeDataString("SELECT * FROM DIGITALTWINS WHERE STARTSWITH($dtId, 'pump-g')"));
        var page = tab.Page;
        await Assertions.Expect(page.GetByTestId("graph-info")).ToHaveAttributeAsync("data-nodes", "2");
        await Assertions.Expect(page.GetByTestId("graph-legend")).ToContainTextAsync("no open alert");

        await FindAsync(page, "pump-g1");
        await Assertions.Expect(page.GetByTestId("graph-selected")).ToContainTextAsync("Worst open alert: warning");
        await FindAsync(page, "pump-g2");
        await Assertions.Expect(page.GetByTestId("graph-selected")).Not.ToContainTextAsync("Worst open alert");

        // A reading over both thresholds raises two alerts on pump-g2 while the page is open: the worst one counts.
        await TelemetryAsync("pump-g2", 95, "g2");
        await Assertions.Expect(page.GetByTestId("graph-selected")).ToContainTextAsync("Worst open alert: critical");
    }

    private async Task TelemetryAsync(string twin, double temperature, string messageId)
    {
        using var sent = await server.SendAsync(HttpMethod.Post, $"/digitaltwins/{twin}/telemetry", $$"""{"temperature":{{temperature.ToString(CultureInfo.InvariantCulture)}}}""", configure: r => r.Headers.Add("Message-Id", messageId));
        Assert.True(sent.IsSuccessStatusCode, $"telemetry -> {(int)sent.StatusCode}");
    }

    private static async Task FindAsync(IPage page, string id)
    {
        await page.GetByTestId("graph-find").FillAsync(id);
        await page.GetByTestId("graph-find").PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("graph-selected")).ToContainTextAsync(id);
    }

    [Fact]
    public async Task The_operations_page_shows_ingest_dead_letters_history_and_the_metrics()
    {
        await server.SendOkAsync(HttpMethod.Put, "/digitaltwins/pump-ops", $$$"""{"$metadata":{"$model":"{{{Pump}}}"}}""");
        await server.SendOkAsync(HttpMethod.Post, "/doppel/ingest", """
            {"twinId":"pump-ops","values":{"temperature":20},"messageId":"o1"}
            {"twinId":"pump-ops","values":{"temperature":"warm"},"messageId":"o2"}

            """, "application/x-ndjson");
        await using var tab = await browser.OpenAsync(server.Server.HttpAddress!, nameof(The_operations_page_shows_ingest_dead_letters_history_and_the_metrics), "operations");
        var page = tab.Page;

        await Assertions.Expect(page.GetByTestId("ops-ingest-rate")).ToContainTextAsync("msg/s");
        await Assertions.Expect(page.GetByTestId("ops-history")).ToContainTextAsync("points");
        await Assertions.Expect(page.GetByTestId("ops-deadletters")).ToContainTextAsync("ValidationFailed");
        await Assertions.Expect(page.GetByTestId("ops-alerts")).ToContainTextAsync("Open alerts");
        var letters = page.GetByTestId("operations-deadletters");
        await Assertions.Expect(letters.Locator("td", new() { HasTextString = "pump-ops" }).First).ToBeVisibleAsync();
        await Assertions.Expect(letters).ToContainTextAsync("ValidationFailed");
        await Assertions.Expect(page.Locator("td code", new() { HasTextString = "doppel.ingest.messages" }).First).ToBeVisibleAsync();
        // The rate is the difference of two readings: it appears once a second reading came.
        await Assertions.Expect(page.GetByTestId("ops-ingest-rate")).Not.ToContainTextAsync("…");
    }
}
