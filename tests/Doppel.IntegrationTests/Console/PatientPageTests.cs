using System.Globalization;
using Doppel.IntegrationTests.Support;
using Doppel.Packs.Health.Patients;
using Microsoft.Playwright;

namespace Doppel.IntegrationTests.WebConsole;

/// <summary>
/// The health pack's patient page in a real browser over a server whose live twin follows an overdosed virtual
/// patient over MQTT: the estimated glucose, the 30- and 60-minute forecasts with their intervals and the risk as the
/// twin holds them, the readings and the forecast band drawn, the predicted-hypo alert listed, and both kept live as
/// readings come and the alert resolves.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class PatientPageTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly ServerFixture _server = new();

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        using var loaded = await _server.SendAsync(HttpMethod.Post, "/doppel/samples/health/load");
        Assert.True(loaded.IsSuccessStatusCode, await loaded.Content.ReadAsStringAsync());
    }

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task The_patient_page_shows_glucose_the_forecast_band_and_the_predicted_hypo_alert_and_follows_new_readings()
    {
        // Given three hours of an overdosed patient: the live twin has raised predicted-hypo
        var start = new DateTimeOffset(2026, 6, 4, 6, 0, 0, TimeSpan.Zero);
        var device = VirtualPatients.Overdosed(start);
        var patient = VirtualPatients.Adult(device);
        using var client = await Mqtt.ConnectAsync(_server.Server.MqttPort!.Value, "patient-page-device");
        await using var link = new VirtualPatients.MqttLink(client);
        await VirtualPatients.PublishFirstAsync(link, patient, device);
        for (var i = 0; i < 36; i++)
        {
            await PatientDemo.PublishAsync(link, patient, device.Next(), default);
        }
        var twin = await Poll.UntilAsync(() => _server.SendOkAsync(HttpMethod.Get, "/digitaltwins/patient-adult-1"),
            t => t["estimatedAt"] is not null && DateTimeOffset.Parse((string)t["estimatedAt"]!, CultureInfo.InvariantCulture) == start.AddMinutes(180), "the estimate at 180 minutes");
        await Poll.UntilAsync(() => _server.SendOkAsync(HttpMethod.Get, "/doppel/alerts?state=open&twinId=patient-adult-1"), a => a["value"]!.AsArray().Count == 1, "the predicted-hypo alert");

        // When the patient page opens
        await using var tab = await browser.OpenAsync(_server.Server.HttpAddress!, nameof(The_patient_page_shows_glucose_the_forecast_band_and_the_predicted_hypo_alert_and_follows_new_readings), "packs/health/patient?twin=patient-adult-1");
        var page = tab.Page;
        var now = page.GetByTestId("patient-now");

        // Then it shows the twin's estimate, forecasts and risk, the readings and the band, and the alert
        await Assertions.Expect(page.GetByTestId("live-status")).ToHaveAttributeAsync("data-status", "open");
        await Assertions.Expect(now).ToHaveAttributeAsync("data-glucose", Rounded(twin["glucose"]));
        await Assertions.Expect(now).ToHaveAttributeAsync("data-forecast30", Rounded(twin["glucoseForecast30"]));
        await Assertions.Expect(now).ToHaveAttributeAsync("data-lower30", Rounded(twin["glucoseForecast30Lower"]));
        await Assertions.Expect(now).ToHaveAttributeAsync("data-upper30", Rounded(twin["glucoseForecast30Upper"]));
        await Assertions.Expect(now).ToHaveAttributeAsync("data-risk", Math.Round((double)twin["hypoRisk"]! * 100).ToString(CultureInfo.InvariantCulture));
        await Assertions.Expect(page.GetByTestId("reading")).ToHaveCountAsync(37);
        await Assertions.Expect(page.GetByTestId("forecast-band")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("estimate-line")).ToHaveCountAsync(1);
        var alert = page.Locator("[data-testid=patient-alerts] tbody tr");
        await Assertions.Expect(alert).ToHaveCountAsync(1);
        await Assertions.Expect(alert).ToHaveAttributeAsync("data-alert", "follower:health/patient-twin/predicted-hypo");
        await Assertions.Expect(alert).ToContainTextAsync("Predicted hypoglycaemia for patient-adult-1");
        await Assertions.Expect(page.GetByTestId("whatif-link")).ToHaveAttributeAsync("href", "#/simulation?kind=patient&twin=patient-adult-1");
        await tab.ScreenshotAsync("patient");

        // And when the patient eats and recovers, the page follows: new readings, the alert gone
        for (var i = 0; i < 14; i++)
        {
            await PatientDemo.PublishAsync(link, patient, device.Next(), default);
        }
        await Assertions.Expect(page.GetByTestId("no-alerts")).ToBeVisibleAsync();
        // The alert resolves at a reading before the last: wait for the twin's estimate of the last one before comparing
        var later = await Poll.UntilAsync(() => _server.SendOkAsync(HttpMethod.Get, "/digitaltwins/patient-adult-1"),
            t => t["estimatedAt"] is not null && DateTimeOffset.Parse((string)t["estimatedAt"]!, CultureInfo.InvariantCulture) == start.AddMinutes(250), "the estimate at 250 minutes");
        await Assertions.Expect(now).ToHaveAttributeAsync("data-glucose", Rounded(later["glucose"]));
    }

    private static string Rounded(System.Text.Json.Nodes.JsonNode? value) => Math.Round((double)value!, MidpointRounding.AwayFromZero).ToString(CultureInfo.InvariantCulture);
}
