using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.Packs;

namespace Doppel.IntegrationTests.Greenhouse;

/// <summary>
/// <c>doppel demo greenhouse</c>: a replica of each greenhouse runs at <c>--speed</c> hours per second and reports its
/// temperature and heater through the host's device link; the host's device simulator sends the outside temperature.
/// </summary>
public sealed class GreenhouseDemo : IPackDemo
{
    public string Name => "greenhouse";

    public string Description => "The sample greenhouses live: thermostats reporting, the weather outside.";

    public string Sample => "greenhouse";

    public bool IsDefault => false;

    public Task<Result<DemoSession>> StartAsync(DemoContext context, CancellationToken ct)
    {
        var replicas = new List<(string Id, GreenhouseModel Model)>();
        var index = 0UL;
        foreach (var twin in context.Graph.Twins.Where(t => t.Model.Value == GreenhousePack.Model).OrderBy(t => t.Id, StringComparer.Ordinal))
        {
            double Number(string name, double fallback) => twin.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : fallback;
            var climate = new GreenhouseClimate(Number("setpoint", 20), Number("heaterPower", 7.5), Number("timeConstant", 4), 5, 3);
            var model = new GreenhouseModel(new Doppel.Simulation.Simulation(context.Seed + index++), climate, Number("temperature", 15));
            model.Start(0);
            replicas.Add((twin.Id, model));
        }
        if (replicas.Count == 0)
        {
            return Task.FromResult(Result<DemoSession>.Fail("InvalidArgument", "There is no greenhouse twin to make live."));
        }
        var session = new DemoSession(
            $"{replicas.Count} greenhouses ({string.Join(", ", replicas.Select(r => r.Id))}) are live.",
            [["greenhouse-status", replicas[0].Id], ["simulate", "--twin", replicas[0].Id, "--replications", "3"]],
            async token =>
            {
                await using var link = await context.ConnectAsync("greenhouse-thermostats", token);
                var devices = context.SimulateDevicesAsync([.. replicas.Select(r => new SimulatedDevice(r.Id, ["outsideTemperature"]))], token);
                var started = context.Time.GetTimestamp();
                using var timer = new PeriodicTimer(TimeSpan.FromSeconds(0.5), context.Time);
                var sent = 0L;
                do
                {
                    var hours = context.Time.GetElapsedTime(started).TotalSeconds * context.Speed;
                    var sourceTime = context.Time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
                    foreach (var (id, model) in replicas)
                    {
                        model.AdvanceTo(hours);
                        await link.PublishAsync(id, DeviceMessageKind.Properties, new JsonObject
                        {
                            ["temperature"] = Math.Round(model.Temperature, 3),
                            ["heaterOn"] = model.HeaterOn,
                            ["$sourceTime"] = sourceTime,
                            ["$messageId"] = $"greenhouse-{context.Seed:x}-{started:x}-{++sent}",
                        }, token);
                    }
                }
                while (await timer.WaitForNextTickAsync(token));
                await devices;
            });
        return Task.FromResult(Result<DemoSession>.Ok(session));
    }
}
