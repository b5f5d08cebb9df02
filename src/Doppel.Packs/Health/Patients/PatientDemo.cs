using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.Packs.Health.Glucose;
using Doppel.Twins;

namespace Doppel.Packs.Health.Patients;

/// <summary>
/// <c>doppel demo health</c>: the health sample's patients made live. Each patient is a <see cref="VirtualPatientDevice"/>
/// (its <c>profile</c>'s UVA/Padova parameters, its CGM's noise seeded from the demo's seed, random meals as
/// simglucose draws them, basal-bolus therapy) publishing over MQTT every 5 minutes of its time: the pump's basal rate
/// and boluses, the meals (the patient's <c>carbs</c>), then the CGM reading. The patients' clocks start a day back and
/// run at <see cref="DemoContext.Speed"/> minutes a second until they reach the present, then in real time, so that a
/// demo shows a day of history and then follows the clock; the live twin estimates, forecasts and warns as readings come.
/// </summary>
public sealed class PatientDemo : IPackDemo
{
    public string Name => HealthPack.SampleName;

    public string Description => "Three virtual patients (adult, adolescent, child) send CGM readings, pump doses and meals over MQTT every 5 minutes; the live twin estimates each one's glucose, forecasts it 30 and 60 minutes ahead with intervals and warns before a hypoglycaemia.";

    public string Sample => HealthPack.SampleName;

    public bool IsDefault => false;

    /// <summary>How far back the patients' clocks start.</summary>
    public static TimeSpan Lead { get; } = TimeSpan.FromDays(1);

    public Task<Result<DemoSession>> StartAsync(DemoContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var patients = Patients(context.Graph);
        if (!patients.IsSuccess)
        {
            return Task.FromResult(Result<DemoSession>.Fail(patients.Error!));
        }
        var list = patients.Value!;
        var first = list[0].PatientId;
        var session = new DemoSession(
            string.Create(CultureInfo.InvariantCulture, $"{list.Count} virtual patients ({string.Join(", ", list.Select(p => $"{p.PatientId}: {p.Parameters.Name}"))}) send CGM readings every 5 minutes of their time, a day back and {context.Speed:G} minutes a second until they reach now; the live twin writes glucose, glucoseForecast30/60 with intervals and hypoRisk, and raises predicted-hypo before a low."),
            [
                ["query", $"SELECT $dtId, glucose, glucoseForecast30, glucoseForecast30Lower, glucoseForecast30Upper, hypoRisk FROM DIGITALTWINS WHERE IS_OF_MODEL('{PatientTwin.ModelId}')"],
                ["watch", "--twin", first],
                ["alerts", "list"],
                ["simulate", "--twin", first],
            ],
            token => RunAsync(context, list, token));
        return Task.FromResult(Result<DemoSession>.Ok(session));
    }

    /// <summary>The sample's patients with a profile, a CGM and a pump, and the devices that play them.</summary>
    public static Result<IReadOnlyList<DemoPatient>> Patients(TwinGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var patients = new List<DemoPatient>();
        foreach (var twin in graph.Twins.Where(t => t.Model.Value == PatientTwin.ModelId).OrderBy(t => t.Id, StringComparer.Ordinal))
        {
            var sensor = graph.Outgoing(twin.Id, PatientTwin.SensorRelationship).FirstOrDefault()?.TargetId;
            var pump = graph.Outgoing(twin.Id, PatientTwin.PumpRelationship).FirstOrDefault()?.TargetId;
            if (sensor is null || pump is null || !twin.TryGetProperty(PatientTwin.Profile, out var profile) || profile.ValueKind != JsonValueKind.String
                || PatientParameters.Find(profile.GetString()!) is not { IsSuccess: true } parameters)
            {
                continue;
            }
            patients.Add(new DemoPatient(twin.Id, sensor, pump, parameters.Value!, Kind(graph, sensor, "GuardianRT"), Kind(graph, pump, "Insulet")));
        }
        return patients.Count == 0
            ? Result<IReadOnlyList<DemoPatient>>.Fail("InvalidArgument", $"No {PatientTwin.ModelId} twin has a profile, a sensor and a pump: load the sample '{HealthPack.SampleName}'.")
            : Result<IReadOnlyList<DemoPatient>>.Ok(patients);
    }

    /// <summary>Publishes one five-minute step of a patient: pump, meals, then the reading.</summary>
    public static async Task PublishAsync(IDeviceLink link, DemoPatient patient, PatientStep step, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(link);
        ArgumentNullException.ThrowIfNull(patient);
        ArgumentNullException.ThrowIfNull(step);
        var pump = new JsonObject { [PatientTwin.Basal] = Math.Round(step.Basal, 4), ["$sourceTime"] = Time(step.Time), ["$messageId"] = $"{patient.PumpId}-{step.Time.UtcTicks}" };
        if (step.Bolus > 0)
        {
            pump[PatientTwin.Bolus] = Math.Round(step.Bolus, 4);
        }
        await link.PublishAsync(patient.PumpId, DeviceMessageKind.Telemetry, pump, ct);
        foreach (var (time, grams) in step.Meals)
        {
            await link.PublishAsync(patient.PatientId, DeviceMessageKind.Telemetry,
                new JsonObject { [PatientTwin.Carbs] = grams, ["$sourceTime"] = Time(time), ["$messageId"] = $"{patient.PatientId}-{time.UtcTicks}" }, ct);
        }
        await link.PublishAsync(patient.SensorId, DeviceMessageKind.Telemetry,
            new JsonObject { [PatientTwin.Glucose] = Math.Round(step.Cgm, 2), ["$sourceTime"] = Time(step.ReadingTime), ["$messageId"] = $"{patient.SensorId}-{step.ReadingTime.UtcTicks}" }, ct);
    }

    private static async Task RunAsync(DemoContext context, IReadOnlyList<DemoPatient> patients, CancellationToken ct)
    {
        var now = context.Time.GetUtcNow();
        var start = new DateTimeOffset(now.UtcTicks - now.UtcTicks % TimeSpan.FromMinutes(5).Ticks, TimeSpan.Zero) - Lead;
        await Task.WhenAll(patients.Select((patient, i) => PlayAsync(context, patient, start, (uint)((context.Seed + (ulong)i) % uint.MaxValue), ct)));
    }

    private static async Task PlayAsync(DemoContext context, DemoPatient patient, DateTimeOffset start, uint seed, CancellationToken ct)
    {
        var sensor = CgmSensor.Create(patient.Sensor, seed);
        var pump = InsulinPump.Create(patient.Pump);
        if (!sensor.IsSuccess || !pump.IsSuccess)
        {
            throw new InvalidOperationException($"Patient {patient.PatientId}: {(sensor.Error ?? pump.Error)!.Message}");
        }
        var device = new VirtualPatientDevice(patient.Parameters, sensor.Value!, pump.Value!, new RandomMealScenario(start.UtcDateTime, seed), start);
        await using var link = await context.ConnectAsync($"patient-{patient.PatientId}", ct);
        await link.PublishAsync(patient.SensorId, DeviceMessageKind.Telemetry,
            new JsonObject { [PatientTwin.Glucose] = Math.Round(device.FirstReading, 2), ["$sourceTime"] = Time(start), ["$messageId"] = $"{patient.SensorId}-{start.UtcTicks}" }, ct);
        var interval = TimeSpan.FromSeconds(VirtualPatientDevice.SampleMinutes / context.Speed);
        while (!ct.IsCancellationRequested)
        {
            var step = device.Next();
            // Ahead of the clock: wait for it (a device cannot report the future); behind it: catch up at the demo's speed.
            var wait = step.ReadingTime - context.Time.GetUtcNow();
            await Task.Delay(wait > TimeSpan.Zero ? wait : interval, context.Time, ct);
            await PublishAsync(link, patient, step, ct);
        }
    }

    private static string Kind(TwinGraph graph, string twinId, string fallback) =>
        graph.TryGetTwin(twinId, out var twin) && twin.TryGetProperty("kind", out var kind) && kind.ValueKind == JsonValueKind.String ? kind.GetString()! : fallback;

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
}
