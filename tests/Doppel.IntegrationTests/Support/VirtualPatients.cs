using System.Globalization;
using System.Text.Json.Nodes;
using Doppel.Packs;
using Doppel.Packs.Health.Glucose;
using Doppel.Packs.Health.Patients;
using MQTTnet;

namespace Doppel.IntegrationTests.Support;

/// <summary>Virtual patients of the health sample driven over MQTT as the demo drives them, with fixed seeds and times.</summary>
internal static class VirtualPatients
{
    /// <summary>The sample's adult given 15 U too many at 30 minutes, who eats 60 g at 200 minutes: glucose falls below 70 at about 215 and recovers.</summary>
    public static VirtualPatientDevice Overdosed(DateTimeOffset start) => new(
        PatientParameters.Find("adult#001").Value!, CgmSensor.Create("GuardianRT", 7).Value!, InsulinPump.Create("Insulet").Value!,
        CustomMealScenario.Create(start.UtcDateTime, [new ScheduledMeal(TimeSpan.FromMinutes(200), 60)]).Value!, start)
    {
        Doses = [(TimeSpan.FromMinutes(30), 15)],
    };

    /// <summary>The sample's adult (patient-adult-1) and its CGM and pump twins.</summary>
    public static DemoPatient Adult(VirtualPatientDevice device) => new("patient-adult-1", "cgm-adult-1", "pump-adult-1", device.Patient, "GuardianRT", "Insulet");

    /// <summary>Publishes the device's first reading on the patient's CGM.</summary>
    public static Task PublishFirstAsync(IDeviceLink link, DemoPatient patient, VirtualPatientDevice device) =>
        link.PublishAsync(patient.SensorId, DeviceMessageKind.Telemetry,
            new JsonObject { ["glucose"] = device.FirstReading, ["$sourceTime"] = device.Start.ToString("O", CultureInfo.InvariantCulture) }, default);

    /// <summary>The demo's device link over a test's MQTT client: each publish must be acknowledged.</summary>
    public sealed class MqttLink(IMqttClient client) : IDeviceLink
    {
        public async Task PublishAsync(string twinId, DeviceMessageKind kind, JsonObject payload, CancellationToken ct)
        {
            var result = await client.PublishAsync($"doppel/twins/{twinId}/telemetry", payload.ToJsonString());
            Assert.True(result.IsSuccess, $"{twinId}: {result.ReasonCode} {result.ReasonString}");
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
