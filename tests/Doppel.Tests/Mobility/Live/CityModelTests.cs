using System.Text.Json.Nodes;
using Doppel.Modeling;
using Doppel.Packs;
using Doppel.Packs.Mobility;
using Doppel.Packs.Mobility.Live;

namespace Doppel.Tests.Mobility.Live;

/// <summary>The city's models: they parse, extend the smart-cities ontology's road segment and name what the live part writes.</summary>
public sealed class CityModelTests
{
    private static readonly PackCatalog Catalog = PackCatalog.Create([new MobilityPack()]);

    [Fact]
    public void The_city_models_parse_and_the_road_is_a_smart_cities_road_segment()
    {
        var catalog = new ModelCatalog();
        var pack = Assert.Single(Catalog.Packs);

        var added = catalog.Add(pack.Models, DateTimeOffset.UnixEpoch);

        Assert.True(added.IsSuccess, added.Error?.Message);
        Assert.Equal(["dtmi:digitaltwins:ngsi_ld:city:Road;1", CityTwin.RoadSegmentModelId, CityTwin.ModelId, CityTwin.RoadModelId, CityTwin.IntersectionModelId, CityTwin.SignalModelId, CityTwin.DetectorModelId], pack.ModelIds);
        var road = Model(pack, CityTwin.RoadModelId);
        Assert.Equal(CityTwin.RoadSegmentModelId, (string?)road["extends"]);
    }

    [Fact]
    public void The_models_hold_every_name_the_live_twin_writes()
    {
        var pack = Assert.Single(Catalog.Packs);
        string[] Names(string model) => Model(pack, model)["contents"]!.AsArray().Select(c => (string)c!["name"]!).ToArray();

        Assert.Subset(Names(CityTwin.RoadModelId).ToHashSet(), new HashSet<string> { CityTwin.Edge, CityTwin.From, CityTwin.To, CityTwin.Lanes, CityTwin.Length, CityTwin.SpeedLimit, CityTwin.Shape, CityTwin.Turns, CityTwin.Departures, CityTwin.Flow, CityTwin.FlowLower, CityTwin.FlowUpper, CityTwin.MeanSpeed, CityTwin.Density, CityTwin.EstimatedAt, CityTwin.LeadsTo, CityTwin.StartsAt });
        Assert.Subset(Names(CityTwin.DetectorModelId).ToHashSet(), new HashSet<string> { CityTwin.Detector, CityTwin.Lane, CityTwin.Position, CityTwin.Period, CityTwin.Count, CityTwin.DetectorFlow, CityTwin.Occupancy, CityTwin.Speed, CityTwin.Monitors });
        Assert.Subset(Names(CityTwin.SignalModelId).ToHashSet(), new HashSet<string> { CityTwin.Signal, CityTwin.Program, CityTwin.State, CityTwin.Phase, CityTwin.Controls });
        Assert.Subset(Names(CityTwin.ModelId).ToHashSet(), new HashSet<string> { CityTwin.Name, CityTwin.NetFile, CityTwin.Contains, CityTwin.EstimatedAt, CityTwin.Vehicles });
    }

    private static JsonNode Model(Pack pack, string id) => JsonNode.Parse(pack.Models[pack.ModelIds.ToList().IndexOf(id)].Json)!;

    [Theory]
    [InlineData("A0A1", "road-A0A1")]
    [InlineData("-gneE3#1", "road--gneE3~00231")]
    [InlineData("a b", "road-a~0020b")]
    public void Road_ids_keep_safe_SUMO_ids_and_encode_the_rest(string edge, string expected) =>
        Assert.Equal(expected, CityTwin.RoadId(edge));
}
