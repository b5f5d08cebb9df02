using System.Globalization;

namespace Doppel.Packs.Mobility.Live;

/// <summary>
/// <c>doppel demo city</c>: the city sample made live by a device that replays a recorded day of the city (SUMO's run of
/// the sample's day, its induction loops' e1 output) as if it were the city's detectors: every 5-minute period each
/// detector publishes its count, flow, occupancy and speed over MQTT at the period's end of today, and each signal
/// reports its phase and state at that moment. The replay starts at yesterday's midnight (the day is replayed again for today) and runs at <see cref="DemoContext.Speed"/>
/// city minutes a second until it reaches now, then in real time; the live twin estimates every road's flow as periods come.
/// The day's vehicles (<see cref="CityVehicles"/>: the sample's trips driven by the pack's simulator) are published as the
/// city twin's telemetry, a frame at each period's end and, once the replay follows the clock, every
/// <see cref="VehiclePeriod"/> seconds, so the console's map shows them moving.
/// </summary>
public sealed class CityDemo : IPackDemo
{
    public string Name => MobilityPack.SampleName;

    public string Description => "A recorded day of the sample city's 32 induction loops replayed over MQTT every 5 minutes from yesterday's midnight, with its signals' states and its vehicles moving on the map; the live twin estimates every road's flow with a 90% interval.";

    public string Sample => MobilityPack.SampleName;

    public bool IsDefault => false;

    /// <summary>Seconds of the day between two vehicle frames once the replay follows the clock (while it catches up: one per period).</summary>
    public const double VehiclePeriod = 5;

    public Task<Result<DemoSession>> StartAsync(DemoContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var recording = DetectorRecording.Read(MobilityPack.Resource("city.det.out.xml.gz"), "the city sample's recorded day");
        if (!recording.IsSuccess)
        {
            return Task.FromResult(Result<DemoSession>.Fail(recording.Error!));
        }
        var replay = CityReplay.Create(context.Graph, recording.Value!);
        if (!replay.IsSuccess)
        {
            return Task.FromResult(Result<DemoSession>.Fail(replay.Error!));
        }
        var vehicles = CityVehicles.Sample(context.Seed);
        if (!vehicles.IsSuccess)
        {
            return Task.FromResult(Result<DemoSession>.Fail(vehicles.Error!));
        }
        var city = replay.Value!;
        var session = new DemoSession(
            string.Create(CultureInfo.InvariantCulture, $"{city.Detectors.Count} detectors of {city.CityId} replay a recorded day from yesterday's midnight at {context.Speed:G} city minutes a second until now, then in real time, with {city.Signals.Count} signals' states and the day's vehicles (the city's '{CityTwin.Vehicles}' telemetry: one frame a period while catching up, then every {VehiclePeriod:G} s); the live twin writes every road's flow, flowLower/flowUpper (90%), meanSpeed and density."),
            [
                ["query", $"SELECT $dtId, flow, flowLower, flowUpper, meanSpeed, observed FROM DIGITALTWINS WHERE IS_OF_MODEL('{CityTwin.RoadModelId}')"],
                ["watch", "--twin", city.CityId],
                ["history", "get", city.Detectors.Values.First(), "--names", "count"],
            ],
            token => RunAsync(context, city, vehicles.Value!, token));
        return Task.FromResult(Result<DemoSession>.Ok(session));
    }

    private static async Task RunAsync(DemoContext context, CityReplay city, CityVehicles vehicles, CancellationToken ct)
    {
        await using var link = await context.ConnectAsync($"city-{city.CityId}", ct);
        var now = context.Time.GetUtcNow();
        // Yesterday first: the twin has a whole day of history, and a replay started just after midnight has periods to send.
        var day = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddDays(-1);
        var first = city.Periods[0];
        var interval = TimeSpan.FromSeconds((first.Key - first.Min(r => r.Begin)) / 60 / Math.Max(context.Speed, 1e-6));
        while (!ct.IsCancellationRequested)
        {
            var previous = 0.0;
            foreach (var period in city.Periods)
            {
                // Following the clock, the vehicles move on the map between two periods; catching up, only the period's frame is sent
                // (every stored frame is history, and a day caught up at 60 city minutes a second is watched by no one).
                var second = (context.Time.GetUtcNow() - day).TotalSeconds;
                for (var moment = (Math.Floor(Math.Max(previous, second) / VehiclePeriod) + 1) * VehiclePeriod; moment < period.Key; moment += VehiclePeriod)
                {
                    await WaitForAsync(context, day.AddSeconds(moment), interval, ct);
                    await vehicles.PublishAsync(link, city.CityId, day, moment, ct);
                }
                await WaitForAsync(context, day.AddSeconds(period.Key), interval, ct);
                await city.PublishAsync(link, day, period, ct);
                await vehicles.PublishAsync(link, city.CityId, day, period.Key, ct);
                previous = period.Key;
            }
            day = day.AddDays(1);
        }
    }

    /// <summary>A device cannot report the future: ahead of the clock it waits for it; behind it, it catches up at the demo's speed.</summary>
    private static Task WaitForAsync(DemoContext context, DateTimeOffset moment, TimeSpan interval, CancellationToken ct)
    {
        var wait = moment - context.Time.GetUtcNow();
        return Task.Delay(wait > TimeSpan.Zero ? wait : interval, context.Time, ct);
    }
}
