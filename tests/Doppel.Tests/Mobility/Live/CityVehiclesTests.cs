using System.Text.Json;
using Doppel.Modeling;
using Doppel.Packs;
using Doppel.Packs.Mobility;
using Doppel.Packs.Mobility.Live;
using Doppel.Twins;

namespace Doppel.Tests.Mobility.Live;

/// <summary>The live replay's vehicles: the sample's day driven forward frame by frame, again from the start for the next day, and published in the shape the city model declares.</summary>
public sealed class CityVehiclesTests
{
    [Fact]
    public void The_sample_day_gives_the_same_vehicles_at_a_moment_whether_reached_in_steps_or_again_the_next_day()
    {
        var day = CityVehicles.Sample(7).Value!;

        var five = day.At(8 * 3600);
        var later = day.At(8 * 3600 + 5);
        var again = day.At(8 * 3600); // before the last moment asked: the next day, from midnight
        var fresh = CityVehicles.Sample(7).Value!.At(8 * 3600);

        Assert.Equal(8 * 3600, five.Time);
        Assert.Equal(8 * 3600 + 5, later.Time);
        Assert.True(five.Vehicles.Count > 30, $"{five.Vehicles.Count} vehicles at the morning peak");
        Assert.Equal(five.Vehicles, again.Vehicles);
        Assert.Equal(five.Vehicles, fresh.Vehicles);
        Assert.NotEqual(five.Vehicles, later.Vehicles);
    }

    [Fact]
    public void The_vehicles_telemetry_is_what_the_city_model_declares()
    {
        var pack = Assert.Single(PackCatalog.Create([new MobilityPack()]).Packs);
        var catalog = new ModelCatalog();
        Assert.True(catalog.Add(pack.Models, DateTimeOffset.UnixEpoch).IsSuccess);
        var operations = new TwinOperations(catalog);
        var city = operations.Create("city", JsonDocument.Parse($$"""{"$metadata": {"$model": "{{CityTwin.ModelId}}"}, "name": "city"}""").RootElement, DateTimeOffset.UnixEpoch, "W/\"1\"").Value!;
        var frame = CityVehicles.Sample(7).Value!.At(8 * 3600);

        var telemetry = CityVehicles.Telemetry(frame);

        var vehicles = telemetry[CityTwin.Vehicles]!.AsArray();
        Assert.Equal(frame.Vehicles.Count, vehicles.Count);
        Assert.Equal(Math.Round(frame.Vehicles[0].X, 1), (double)vehicles[0]!["x"]!);
        using var document = JsonDocument.Parse(telemetry.ToJsonString());
        var valid = operations.ValidateTelemetry(city, null, document.RootElement);
        Assert.True(valid.IsSuccess, valid.Error?.Message);
    }
}
