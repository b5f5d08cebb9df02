using System.Globalization;
using Doppel.IntegrationTests.Support;
using Doppel.Packs.Health.Glucose;
using Doppel.Packs.Health.Patients;
using MQTTnet;

namespace Doppel.IntegrationTests;

/// <summary>
/// The live patient twin through a real server and real MQTT: a virtual patient's pump doses, meals and CGM readings
/// (the demo's messages, a fixed seed and times) make the health pack's follower estimate the patient's glucose,
/// write forecasts with intervals on the twin and raise the predicted-hypoglycaemia alert before the fall below 70;
/// what-ifs fork the estimate over REST; a malformed reading is refused and leaves the twin as it was.
/// </summary>
public sealed class HealthLiveTests(ServerFixture server) : IClassFixture<ServerFixture>, IAsyncLifetime
{
    private const string HypoAlert = "follower:health/patient-twin/predicted-hypo";

    public async Task InitializeAsync()
    {
        using var existing = await server.SendAsync(HttpMethod.Get, "/digitaltwins/patient-adult-1");
        if (existing.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            await server.SendOkAsync(HttpMethod.Post, "/doppel/samples/health/load");
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task CGM_over_MQTT_puts_estimates_and_forecasts_on_the_twin_and_the_predicted_hypo_alert_comes_before_the_fall_below_70_and_resolves()
    {
        var start = new DateTimeOffset(2026, 6, 1, 6, 0, 0, TimeSpan.Zero);
        var device = VirtualPatients.Overdosed(start);
        var patient = VirtualPatients.Adult(device);
        await using var alerts = await SseStream.OpenAsync(server.Http, "?twinId=patient-adult-1&types=alert");
        using var client = await Mqtt.ConnectAsync(server.Server.MqttPort!.Value, "patient-adult-1-device");
        await using var link = new VirtualPatients.MqttLink(client);

        // When the patient's device sends five hours of pump doses, meals and CGM readings every 5 minutes
        var truth = new Dictionary<DateTimeOffset, double> { [start] = device.Glucose };
        await VirtualPatients.PublishFirstAsync(link, patient, device);
        for (var i = 0; i < 60; i++)
        {
            var step = device.Next();
            truth[step.ReadingTime] = step.Glucose;
            await PatientDemo.PublishAsync(link, patient, step, default);
        }
        var last = start.AddMinutes(300);

        // Then the twin holds the estimate and the forecasts of the last reading, within their intervals
        var twin = await Poll.UntilAsync(() => server.SendOkAsync(HttpMethod.Get, "/digitaltwins/patient-adult-1"),
            t => t["estimatedAt"] is not null && DateTimeOffset.Parse((string)t["estimatedAt"]!, CultureInfo.InvariantCulture) == last, "the estimate of the last reading");
        Assert.InRange((double)twin["glucose"]!, truth[last] - 15, truth[last] + 15);
        foreach (var horizon in new[] { "30", "60" })
        {
            var (lower, median, upper) = ((double)twin[$"glucoseForecast{horizon}Lower"]!, (double)twin[$"glucoseForecast{horizon}"]!, (double)twin[$"glucoseForecast{horizon}Upper"]!);
            Assert.True(lower <= median && median <= upper, $"{horizon}: {median} outside [{lower}, {upper}]");
        }
        // One forecast per reading, in history; the 30-minute forecasts were close to what came
        var forecasts = (await server.SendOkAsync(HttpMethod.Get, "/doppel/history/twins/patient-adult-1?names=glucoseForecast30&from=2026-01-01T00:00:00Z"))["value"]!.AsArray();
        Assert.Equal(61, forecasts.Count);
        var errors = forecasts.Select(p => (Time: DateTimeOffset.Parse((string)p!["time"]!, CultureInfo.InvariantCulture).AddMinutes(30), Value: (double)p["value"]!))
            .Where(f => f.Time >= start.AddHours(1) && truth.ContainsKey(f.Time)).Select(f => Math.Abs(f.Value - truth[f.Time])).ToList();
        Assert.True(errors.Average() < 10, $"the 30-minute forecasts' mean absolute error is {errors.Average():F1} mg/dL");

        // And the predicted-hypo alert was raised at a reading where glucose was still at or above 70, before it fell below
        var raised = await alerts.NextAsync();
        Assert.Equal("doppel.alert.raised", (string)raised.Json["type"]!);
        var alert = raised.Json["data"]!;
        Assert.Equal((HypoAlert, "major"), ((string)alert["ruleId"]!, (string)alert["severity"]!));
        var raisedAt = DateTimeOffset.Parse((string)alert["value"]!["time"]!, CultureInfo.InvariantCulture);
        var firstLow = truth.Where(t => t.Value < 70).Min(t => t.Key);
        Assert.True(truth[raisedAt] >= 70, $"raised at {raisedAt:t} when glucose was {truth[raisedAt]:F1}");
        Assert.True(raisedAt < firstLow, $"raised at {raisedAt:t}, glucose fell below 70 at {firstLow:t}");
        Assert.StartsWith("Predicted hypoglycaemia for patient-adult-1: glucose ", (string)alert["message"]!, StringComparison.Ordinal);

        // And resolved once the meal took the risk away
        var resolved = await alerts.NextAsync();
        Assert.Equal("doppel.alert.resolved", (string)resolved.Json["type"]!);
        Assert.Equal("cleared", (string)resolved.Json["data"]!["resolved"]!["reason"]!);
    }

    [Fact]
    public async Task What_ifs_from_the_estimated_state_return_trajectories_with_intervals_over_REST()
    {
        // Given a patient the live twin has followed for two hours
        var start = new DateTimeOffset(2026, 6, 2, 6, 0, 0, TimeSpan.Zero);
        var device = new VirtualPatientDevice(PatientParameters.Find("adolescent#001").Value!, CgmSensor.Create("GuardianRT", 3).Value!, InsulinPump.Create("Insulet").Value!,
            CustomMealScenario.Create(start.UtcDateTime, [new ScheduledMeal(TimeSpan.FromMinutes(60), 40)]).Value!, start);
        var patient = new DemoPatient("patient-adolescent-1", "cgm-adolescent-1", "pump-adolescent-1", device.Patient, "GuardianRT", "Insulet");
        using (var none = await server.SendAsync(HttpMethod.Post, "/doppel/scenarios", """{"kind":"patient","patient":"patient-adolescent-1"}"""))
        {
            Assert.Contains("Patient 'patient-adolescent-1' has no estimated state yet", await AdtAssert.Error(none, 400, "InvalidArgument"), StringComparison.Ordinal);
        }
        using var client = await Mqtt.ConnectAsync(server.Server.MqttPort!.Value, "patient-adolescent-1-device");
        await using var link = new VirtualPatients.MqttLink(client);
        for (var i = 0; i < 24; i++)
        {
            await PatientDemo.PublishAsync(link, patient, device.Next(), default);
        }
        var last = start.AddMinutes(120);
        await Poll.UntilAsync(() => server.SendOkAsync(HttpMethod.Get, "/digitaltwins/patient-adolescent-1"),
            t => t["estimatedAt"] is not null && DateTimeOffset.Parse((string)t["estimatedAt"]!, CultureInfo.InvariantCulture) == last, "the estimate of the last reading");

        // When a snack is planned in 30 minutes, and the what-ifs are a 3 U bolus now and skipping the snack
        var result = await server.SendOkAsync(HttpMethod.Post, "/doppel/scenarios", """
            {"kind": "patient", "patient": "patient-adolescent-1",
             "plan": [{"name": "snack", "after": 30, "carbs": 20}],
             "whatIf": {"3 U bolus now": {"bolus": 3}, "skip the snack": {"skip": ["snack"]}},
             "run": {"duration": 180, "replications": 100, "seed": 3}}
            """);

        // Then each scenario has a trajectory every 5 minutes with its interval, from the estimate's time
        var scenarios = result["scenarios"]!.AsArray().ToDictionary(s => (string)s!["name"]!, s => s!);
        Assert.Equal(["baseline", "3 U bolus now", "skip the snack"], scenarios.Keys);
        Assert.Equal(last, DateTimeOffset.Parse((string)result["estimateTime"]!, CultureInfo.InvariantCulture));
        foreach (var scenario in scenarios.Values)
        {
            var trajectory = scenario["trajectory"]!.AsArray();
            Assert.Equal(37, trajectory.Count);
            Assert.All(trajectory, p => Assert.True((double)p!["lower"]! <= (double)p["median"]! && (double)p["median"]! <= (double)p["upper"]!));
        }
        double Kpi(string name, string kpi) => (double)scenarios[name]["kpis"]![kpi]!["mean"]!;
        // The bolus lowers glucose, significantly; skipping the snack ends lower than eating it
        Assert.True(Kpi("3 U bolus now", "minGlucose") < Kpi("baseline", "minGlucose") - 10, $"{Kpi("3 U bolus now", "minGlucose")} vs {Kpi("baseline", "minGlucose")}");
        Assert.True((bool)scenarios["3 U bolus now"]["comparisons"]!["minGlucose"]!["significant"]!);
        Assert.True(Kpi("skip the snack", "endGlucose") < Kpi("baseline", "endGlucose"));
        // The same members in every scenario: the baseline's first point is the what-ifs'
        Assert.Equal((double)scenarios["baseline"]["trajectory"]![0]!["median"]!, (double)scenarios["skip the snack"]["trajectory"]![0]!["median"]!);

        // And a what-if that skips what the plan does not hold is refused where it says so
        using var wrong = await server.SendAsync(HttpMethod.Post, "/doppel/scenarios", """{"kind":"patient","patient":"patient-adolescent-1","whatIf":{"no lunch":{"skip":["lunch"]}}}""");
        Assert.Contains("the plan has no event named 'lunch'", await AdtAssert.Error(wrong, 400, "InvalidArgument"), StringComparison.Ordinal);
        using var negative = await server.SendAsync(HttpMethod.Post, "/doppel/scenarios", """{"kind":"patient","patient":"patient-adolescent-1","whatIf":{"minus":{"bolus":-2}}}""");
        Assert.Contains("must be 0 to 50 (U)", await AdtAssert.Error(negative, 400, "InvalidArgument"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_CGM_reading_is_refused_and_leaves_the_patient_twin_as_it_was()
    {
        // Given a patient with an estimate
        var start = new DateTimeOffset(2026, 6, 3, 6, 0, 0, TimeSpan.Zero);
        var topic = "doppel/twins/cgm-child-1/telemetry";
        using var client = await Mqtt.ConnectAsync(server.Server.MqttPort!.Value, "patient-child-1-device");
        var first = await client.PublishAsync(topic, $$"""{"glucose":120,"$sourceTime":"{{start:O}}"}""");
        Assert.True(first.IsSuccess);
        var before = await Poll.UntilAsync(() => server.SendOkAsync(HttpMethod.Get, "/digitaltwins/patient-child-1"), t => t["estimatedAt"] is not null, "the first estimate");

        // When readings arrive that are not JSON, not a number, or not a glucose a CGM reads
        var later = start.AddMinutes(5).ToString("O", CultureInfo.InvariantCulture);
        var malformed = await client.PublishAsync(topic, """{"glucose":""");
        var text = await client.PublishAsync(topic, $$"""{"glucose":"high","$sourceTime":"{{later}}"}""");
        var impossible = await client.PublishAsync(topic, $$"""{"glucose":-40,"$sourceTime":"{{later}}"}""");
        // And a good one after them (so that the follower has handled the impossible one when this one's estimate lands)
        var good = await client.PublishAsync(topic, $$"""{"glucose":118,"$sourceTime":"{{start.AddMinutes(10):O}}"}""");

        // Then the malformed ones are refused with their reason, the impossible one never reaches the estimate
        Assert.Equal(MqttClientPublishReasonCode.PayloadFormatInvalid, malformed.ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.PayloadFormatInvalid, text.ReasonCode);
        Assert.True(impossible.IsSuccess && good.IsSuccess);
        var letters = (await server.SendOkAsync(HttpMethod.Get, "/doppel/deadletters?twinId=cgm-child-1"))["value"]!.AsArray();
        Assert.Equal(["ValidationFailed", "MalformedJson"], letters.Select(l => (string?)l!["reason"]));
        var after = await Poll.UntilAsync(() => server.SendOkAsync(HttpMethod.Get, "/digitaltwins/patient-child-1"),
            t => DateTimeOffset.Parse((string)t["estimatedAt"]!, CultureInfo.InvariantCulture) == start.AddMinutes(10), "the estimate of the good reading");
        var estimates = (await server.SendOkAsync(HttpMethod.Get, "/doppel/history/twins/patient-child-1?names=estimatedAt&from=2026-01-01T00:00:00Z"))["value"]!.AsArray();
        Assert.Equal([start, start.AddMinutes(10)], estimates.Select(p => DateTimeOffset.Parse((string)p!["value"]!, CultureInfo.InvariantCulture)));
        Assert.InRange((double)after["glucose"]!, 100, 140);
        Assert.Equal((string?)before["profile"], (string?)after["profile"]);
    }
}
