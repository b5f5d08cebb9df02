using System.Net;
using System.Text.Json.Nodes;
using Doppel.IntegrationTests.Support;
using Doppel.Packs.Mobility.Live;
using Doppel.Packs.Mobility.Network;

namespace Doppel.IntegrationTests.Mobility.Planning;

/// <summary>
/// Traffic what-ifs through the REST API on a real server: a city twin over a 4 × 4 signalised grid (its roads carrying
/// the demand prior and a live estimate) is forked with a road closed, an event's demand, a starved signal and an
/// evacuation; each what-if is compared with the baseline pair by pair, the closure keeps vehicles off the road, the
/// live estimate sets the demand level, and a malformed what-if is refused at its place.
/// </summary>
public sealed class TrafficWhatIfApiTests(ServerFixture server) : IClassFixture<ServerFixture>, IAsyncLifetime
{
    private const string City = "city-grid4";
    private const double Departures = 40;
    private static readonly string NetFile = Path.Combine(Repository.Root, "tests", "Doppel.IntegrationTests", "Mobility", "Planning", "Data", "grid4.net.xml");
    private static readonly RoadNetwork Network = SumoNetworkReader.Read(NetFile).Value!;

    public async Task InitializeAsync()
    {
        using var existing = await server.SendAsync(HttpMethod.Get, $"/digitaltwins/{City}");
        if (existing.StatusCode == HttpStatusCode.OK)
        {
            return;
        }
        using var models = await server.SendAsync(HttpMethod.Get, $"/models/{Uri.EscapeDataString(CityTwin.ModelId)}");
        if (models.StatusCode == HttpStatusCode.NotFound)
        {
            await server.PutModelsAsync(await File.ReadAllTextAsync(Path.Combine(Repository.Root, "samples", "city", "models.json")));
        }
        await server.SendOkAsync(HttpMethod.Put, $"/digitaltwins/{City}", new JsonObject
        {
            ["$metadata"] = new JsonObject { ["$model"] = CityTwin.ModelId },
            [CityTwin.Name] = "grid4",
            [CityTwin.NetFile] = NetFile,
        }.ToJsonString());
        await PutRoadsAsync(flow: 50);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task What_ifs_forked_from_the_live_city_are_compared_with_the_baseline_pair_by_pair()
    {
        // Given the city's live estimate, when four what-ifs are forked from it
        var result = await server.SendOkAsync(HttpMethod.Post, "/doppel/scenarios", $$$"""
            {"kind": "traffic", "city": "{{{City}}}", "run": {"duration": 900, "replications": 5, "seed": 3}, "frames": 30,
             "whatIf": {
               "close B1C1": {"close": ["B1C1"]},
               "concert at C2": {"demand": [{"to": "C2C3", "vehicles": 100, "begin": 0, "end": 600}]},
               "starve the centre": {"signals": {{{StarvedSignals("B1", "C1", "B2", "C2")}}} },
               "evacuate the centre": {"evacuate": {"junctions": ["B1", "C1", "B2", "C2"], "to": ["B0A0", "C3D3", "A2A3", "D1D0"], "vehicles": 60, "window": 300}}
             }}
            """);

        var scenarios = result["scenarios"]!.AsArray().ToDictionary(s => (string)s!["name"]!, s => s!);
        Assert.Equal(["baseline", "close B1C1", "concert at C2", "starve the centre", "evacuate the centre"], scenarios.Keys);
        Assert.Equal(("traffic", City, "now"), ((string)result["kind"]!, (string)result["city"]!, (string)result["start"]!));
        double Kpi(string name, string kpi) => (double)scenarios[name]["kpis"]![kpi]!["mean"]!;
        JsonNode Compared(string name, string kpi) => scenarios[name]["comparisons"]![kpi]!;

        // Then the baseline moved traffic and every KPI has an interval
        Assert.InRange(Kpi("baseline", "throughput"), 500, 5000);
        Assert.All(new[] { "travelTime", "delay", "queue", "throughput", "vehicleHours" }, k => Assert.True((double)scenarios["baseline"]["kpis"]![k]!["halfWidth"]! >= 0, k));
        // The event's 100 extra trips raise the throughput and the vehicle-hours, significantly
        Assert.True((double)Compared("concert at C2", "throughput")["difference"]! > 0 && (bool)Compared("concert at C2", "throughput")["significant"]!, Compared("concert at C2", "throughput").ToJsonString());
        Assert.True((double)Compared("concert at C2", "vehicleHours")["difference"]! > 0, Compared("concert at C2", "vehicleHours").ToJsonString());
        // Starving the central signals' cross streets lengthens the queues, costs vehicle-hours and cuts the throughput
        var starved = scenarios["starve the centre"]["comparisons"]!;
        Assert.True((double)starved["queue"]!["difference"]! > 0 && (bool)starved["queue"]!["significant"]!, starved.ToJsonString());
        Assert.True((double)starved["vehicleHours"]!["difference"]! > 0 && (double)starved["throughput"]!["difference"]! < 0, starved.ToJsonString());
        // The closed road empties once the vehicles on it when it closed have left, and no one enters it in the meantime
        var closedFrames = scenarios["close B1C1"]["frames"]!.AsArray();
        Assert.Equal(900 / 30 + 1, closedFrames.Count);
        var onClosed = closedFrames.Select(f => f!["edges"]!.AsArray().Where(e => (string)e!["edge"]! == "B1C1").Sum(e => (int)e!["vehicles"]!)).ToList();
        Assert.True(onClosed.Skip(3).All(n => n == 0), $"vehicles on the closed road: {string.Join(", ", onClosed)}");
        Assert.Contains(scenarios["baseline"]["frames"]!.AsArray(), f => f!["edges"]!.AsArray().Any(e => (string)e!["edge"]! == "B1C1" && (int)e["vehicles"]! > 0));
        // The evacuation clears the district within the horizon; the other scenarios have no clearance
        // (a replication where one evacuee is still in a jam at the horizon has no clearance time, so the share is asserted)
        Assert.InRange(Kpi("evacuate the centre", "evacuated"), 95, 100);
        Assert.Null(scenarios["baseline"]["kpis"]!["clearanceTime"]!["mean"]);
        Assert.Null(scenarios["baseline"]["kpis"]!["evacuated"]!["mean"]);
    }

    [Fact]
    public async Task The_live_estimate_sets_the_demand_level_and_an_empty_fork_has_none()
    {
        const string request = $$$"""{"kind": "traffic", "city": "{{{City}}}", "run": {"duration": 300, "replications": 2, "seed": 1}}""";
        var live = await server.SendOkAsync(HttpMethod.Post, "/doppel/scenarios", request);
        await PutRoadsAsync(flow: 100);
        try
        {
            var doubled = await server.SendOkAsync(HttpMethod.Post, "/doppel/scenarios", request);
            var empty = await server.SendOkAsync(HttpMethod.Post, "/doppel/scenarios", request.Replace("\"run\"", "\"fromLiveState\": false, \"run\"", StringComparison.Ordinal));

            Assert.Equal(2 * (double)live["demandScale"]!, (double)doubled["demandScale"]!, 3);
            Assert.Equal(1, (double)empty["demandScale"]!);
            Assert.Equal("empty", (string)empty["start"]!);
            double Throughput(JsonNode r) => (double)r["scenarios"]![0]!["kpis"]!["throughput"]!["mean"]!;
            Assert.True(Throughput(doubled) > Throughput(live), $"{Throughput(doubled)} vs {Throughput(live)}");
        }
        finally
        {
            await PutRoadsAsync(flow: 50);
        }
    }

    [Fact]
    public async Task A_fork_of_a_congested_city_starts_with_queues_and_its_trips_take_longer_than_from_free_flow_or_empty_roads()
    {
        // Given the same flows (so the same demand to come), the roads either jammed (3 m/s, 45 veh/km a lane) or free (13 m/s)
        const string request = $$$"""{"kind": "traffic", "city": "{{{City}}}", "run": {"duration": 600, "replications": 3, "seed": 2}, "frames": 600}""";
        await PutRoadsAsync(flow: 50, density: 45, speed: 3);
        try
        {
            var congested = await server.SendOkAsync(HttpMethod.Post, "/doppel/scenarios", request);
            await PutRoadsAsync(flow: 50, density: 4, speed: 13);
            var flowing = await server.SendOkAsync(HttpMethod.Post, "/doppel/scenarios", request);
            var empty = await server.SendOkAsync(HttpMethod.Post, "/doppel/scenarios", request.Replace("\"run\"", "\"fromLiveState\": false, \"run\"", StringComparison.Ordinal));

            double Kpi(JsonNode r, string kpi) => (double)r["scenarios"]![0]!["kpis"]![kpi]!["mean"]!;
            Assert.Equal((double)congested["demandScale"]!, (double)flowing["demandScale"]!, 9);
            // Then the jammed city starts with vehicles standing at the roads' ends, the free one with its vehicles moving
            static (int Vehicles, int Halting) Start(JsonNode r) => r["scenarios"]![0]!["frames"]!.AsArray()[0]!["edges"]!.AsArray()
                .Aggregate((0, 0), (sum, e) => (sum.Item1 + (int)e!["vehicles"]!, sum.Item2 + (int)e["halting"]!));
            var (jammed, halting) = Start(congested);
            Assert.True(halting > jammed / 2, $"{halting} of {jammed} vehicles halting at the start of the jammed fork");
            Assert.True(Start(flowing).Halting < Start(flowing).Vehicles / 4, $"{Start(flowing)} at the start of the free-flowing fork");
            // And its trips take longer and lose more time than from free-flowing or empty roads
            Assert.True(Kpi(congested, "travelTime") > Kpi(flowing, "travelTime") && Kpi(congested, "travelTime") > Kpi(empty, "travelTime"),
                $"travel time: jammed {Kpi(congested, "travelTime")}, flowing {Kpi(flowing, "travelTime")}, empty {Kpi(empty, "travelTime")}");
            Assert.True(Kpi(congested, "delay") > Kpi(flowing, "delay") && Kpi(congested, "delay") > Kpi(empty, "delay"),
                $"delay: jammed {Kpi(congested, "delay")}, flowing {Kpi(flowing, "delay")}, empty {Kpi(empty, "delay")}");
            Assert.True(Kpi(congested, "vehicleHours") > Kpi(flowing, "vehicleHours"), $"vehicle-hours: jammed {Kpi(congested, "vehicleHours")}, flowing {Kpi(flowing, "vehicleHours")}");
        }
        finally
        {
            await PutRoadsAsync(flow: 50);
        }
    }

    [Theory]
    [InlineData("""{"shut": {"close": ["NOPE"]}}""", "no road 'NOPE'")]
    [InlineData("""{"baseline": {"close": ["B1C1"]}}""", "'baseline' is the scenario without changes")]
    [InlineData("""{"odd plan": {"signals": {"B1": {"phases": [{"duration": 30, "state": "GGr"}]}}}}""", "one per link of 'B1'")]
    [InlineData("""{"nothing": {}}""", "changes nothing")]
    [InlineData("""{"far": {"evacuate": {"junctions": ["ZZ"], "to": ["B0A0"]}}}""", "no junction 'ZZ'")]
    [InlineData("""{"cut off": {"close": ["A0B0", "C0B0", "B1B0"], "evacuate": {"junctions": ["B1"], "to": ["B0A0"]}}}""", "No safe destination can be reached")]
    public async Task A_malformed_what_if_is_refused_with_where_and_why(string whatIf, string message)
    {
        using var response = await server.SendAsync(HttpMethod.Post, "/doppel/scenarios", $$$"""{"kind": "traffic", "city": "{{{City}}}", "whatIf": {{{whatIf}}}}""");

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, (string)body["error"]!["message"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_city_sample_forks_on_its_shipped_network()
    {
        await server.SendOkAsync(HttpMethod.Post, "/doppel/samples/city/load");

        var result = await server.SendOkAsync(HttpMethod.Post, "/doppel/scenarios", """
            {"kind": "traffic", "city": "city", "run": {"duration": 600, "replications": 2, "seed": 1}, "whatIf": {"close road-A1B1": {"close": ["road-A1B1"]}}}
            """);

        var scenarios = result["scenarios"]!.AsArray();
        Assert.Equal(["baseline", "close road-A1B1"], scenarios.Select(s => (string)s!["name"]!));
        Assert.All(scenarios, s => Assert.True((double)s!["kpis"]!["throughput"]!["mean"]! > 0, s.ToJsonString()));
    }

    [Fact]
    public async Task A_fork_of_a_missing_city_is_not_found()
    {
        using var response = await server.SendAsync(HttpMethod.Post, "/doppel/scenarios", """{"kind": "traffic", "city": "no-such-city"}""");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    /// <summary>The signals' programs with their first green phase cut to 5 s and the next given the time (the cycle kept).</summary>
    private static string StarvedSignals(params string[] signals) =>
        new JsonObject([.. signals.Select(s => KeyValuePair.Create(s, (JsonNode?)new JsonObject { ["offset"] = 0, ["phases"] = JsonNode.Parse(StarvedPhases(s)) }))]).ToJsonString();

    private static string StarvedPhases(string signal)
    {
        var program = Network.SignalPrograms.Last(p => p.Id == signal);
        var greens = program.Phases.Select((p, i) => (p, i)).Where(x => x.p.State.Contains('G', StringComparison.Ordinal) && !x.p.State.Contains('y', StringComparison.Ordinal)).Select(x => x.i).ToList();
        var freed = program.Phases[greens[0]].Duration - 5;
        var phases = program.Phases.Select((p, i) => new JsonObject
        {
            ["duration"] = i == greens[0] ? 5 : i == greens[1] ? p.Duration + freed : p.Duration,
            ["state"] = p.State,
        });
        return new JsonArray([.. phases]).ToJsonString();
    }

    /// <summary>A road twin per edge of the grid: 40 trips/h start on each, 70% of a road's vehicles go on (shared among its turns), and the live estimate says <paramref name="flow"/> veh/h at <paramref name="speed"/> m/s, <paramref name="density"/> veh/km a lane.</summary>
    private async Task PutRoadsAsync(double flow, double density = 8, double speed = 8)
    {
        var edges = Network.Edges.Where(e => !e.IsInternal).ToList();
        foreach (var edge in edges)
        {
            var next = Network.Connections.Where(c => c.From == edge.Id && c.Direction != 't').Select(c => c.To).Distinct().ToList();
            var turns = new JsonObject();
            foreach (var to in next)
            {
                turns[CityTwin.RoadId(to)] = 0.7 / next.Count;
            }
            var id = CityTwin.RoadId(edge.Id);
            await server.SendOkAsync(HttpMethod.Put, $"/digitaltwins/{id}", new JsonObject
            {
                ["$metadata"] = new JsonObject { ["$model"] = CityTwin.RoadModelId },
                [CityTwin.Edge] = edge.Id,
                [CityTwin.From] = edge.From,
                [CityTwin.To] = edge.To,
                [CityTwin.Lanes] = edge.Lanes.Count,
                [CityTwin.Length] = edge.Lanes[0].Length,
                [CityTwin.Departures] = Departures,
                [CityTwin.Turns] = turns,
                [CityTwin.Flow] = flow,
                [CityTwin.Density] = density,
                [CityTwin.MeanSpeed] = speed,
            }.ToJsonString());
            await server.SendOkAsync(HttpMethod.Put, $"/digitaltwins/{City}/relationships/contains-{id}", new JsonObject
            {
                ["$targetId"] = id,
                ["$relationshipName"] = CityTwin.Contains,
            }.ToJsonString());
        }
    }
}
