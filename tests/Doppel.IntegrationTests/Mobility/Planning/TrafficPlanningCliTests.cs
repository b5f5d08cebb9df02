using System.Text.Json.Nodes;
using Doppel.IntegrationTests.Support;
using Doppel.Packs.Mobility.Demand;
using Doppel.Packs.Mobility.Network;
using Doppel.Packs.Mobility.Sumo;

namespace Doppel.IntegrationTests.Mobility.Planning;

/// <summary>
/// <c>doppel traffic optimize</c> and <c>doppel traffic evacuate</c> as a user runs them, checked against SUMO itself:
/// the optimised signal plan is a tlLogic file SUMO loads and runs, and SUMO (on seeds the verb never used) finds the
/// delay cut; the evacuation clears the district in Doppel as in SUMO on the same demand, around the closed road.
/// </summary>
public sealed class TrafficPlanningCliTests
{
    private static readonly string Data = Path.Combine(Repository.Root, "tests", "Doppel.IntegrationTests", "Mobility", "Planning", "Data");
    private static readonly string Corridor = Path.Combine(Data, "corridor.net.xml");
    private static readonly string CorridorRoutes = Path.Combine(Data, "corridor.rou.xml");
    private static readonly string Grid = Path.Combine(Data, "grid4.net.xml");

    [Fact]
    public async Task The_optimised_signal_plan_cuts_the_mean_delay_in_SUMO_itself()
    {
        // Given a main street whose three signals share the cycle evenly with their quiet side streets
        var plan = Path.Combine(Repository.TempFolder(), "corridor.optimized.add.xml");

        // When the plan is optimised (a short search) and written as a tlLogic additional file
        var (exit, stdout, stderr) = await DoppelProcess.RunAsync("traffic", "optimize", Corridor, CorridorRoutes,
            "--generations", "6", "--replications", "2", "--check", "5", "--sumo-seeds", "3", "--output", plan, "--json");

        // Then the verb found a gain in Doppel and saw it hold in SUMO
        Assert.True(exit == 0, stdout + stderr);
        var result = JsonNode.Parse(stdout)!;
        Assert.True((double)result["doppel"]!["gain"]!["difference"]! < 0 && (bool)result["doppel"]!["gain"]!["significant"]!, result["doppel"]!.ToJsonString());
        Assert.True((bool)result["sumo"]!["holds"]!, result["sumo"]!.ToJsonString());

        // And the file is SUMO's: it reads back with a new program id per signal, each keeping its cycle
        var network = SumoNetworkReader.Read(Corridor).Value!;
        var programs = SumoAdditionalReader.Read(plan, network);
        Assert.True(programs.IsSuccess, programs.Error?.Message);
        Assert.Equal(["A0", "B0", "C0"], programs.Value!.SignalPrograms.Select(p => p.Id).Order());
        Assert.All(programs.Value.SignalPrograms, p =>
        {
            Assert.Equal("optimized", p.ProgramId);
            Assert.Equal(network.SignalPrograms.Single(o => o.Id == p.Id).CycleTime, p.CycleTime);
        });

        // And SUMO itself, on seeds the optimisation never used, loses less time with the new plan on every seed
        var peer = SumoPeer.Find();
        Assert.True(peer.IsSuccess, peer.Error?.Message);
        foreach (var seed in new ulong[] { 101, 102, 103 })
        {
            var before = await peer.Value!.RunAsync(new SumoRunRequest(Corridor, [CorridorRoutes]) { Seed = seed, OutputFolder = Repository.TempFolder() });
            var after = await peer.Value.RunAsync(new SumoRunRequest(Corridor, [CorridorRoutes]) { Seed = seed, AdditionalFiles = [plan], OutputFolder = Repository.TempFolder() });
            var (lossBefore, lossAfter) = (before.Value!.Trips.Average(t => t.TimeLoss), after.Value!.Trips.Average(t => t.TimeLoss));
            Assert.Equal(before.Value.Trips.Count, after.Value.Trips.Count);
            Assert.True(lossAfter < 0.8 * lossBefore, $"seed {seed}: SUMO's mean time loss {lossBefore:F2} s with the plan in force, {lossAfter:F2} s with the optimised plan");
        }
    }

    [Fact]
    public async Task An_evacuation_clears_the_district_in_Doppel_as_in_SUMO_on_the_same_demand()
    {
        // Given 600 vehicles in the grid's four central blocks, leaving within two minutes for four corners, a road closed
        var demandFile = Path.Combine(Repository.TempFolder(), "evacuation.rou.xml");

        // When the evacuation runs in Doppel and in SUMO on three seeds each
        var (exit, stdout, stderr) = await DoppelProcess.RunAsync("traffic", "evacuate", Grid, "--district", "B1,C1,B2,C2", "--to", "B0A0,C3D3,A2A3,D1D0",
            "--close", "C1C0", "--vehicles", "600", "--window", "120", "--seeds", "3", "--demand-output", demandFile, "--json");

        // Then every evacuee arrives in both, the clearance times agree within 5% and the times out pass the KS test
        Assert.True(exit == 0, stdout + stderr);
        var result = JsonNode.Parse(stdout)!;
        foreach (var simulator in new[] { "doppel", "sumo" })
        {
            Assert.All(result[simulator]!["runs"]!.AsArray(), run => Assert.Equal(1.0, (double)run!["evacuated"]!));
        }
        var comparison = result["comparison"]!;
        Assert.InRange((double)comparison["clearanceDifference"]!, -5, 5);
        Assert.True((double)comparison["ksPValue"]! >= 0.05, comparison.ToJsonString());
        Assert.InRange((double)result["doppel"]!["clearanceTime"]!["mean"]!, 120, 3600);

        // And the demand both drove is 600 vehicles from the district to a safe destination, none through the closed road
        var network = SumoNetworkReader.Read(Grid).Value!;
        var demand = SumoDemandReader.Read(network, [demandFile]).Value!;
        Assert.Equal(600, demand.Vehicles.Count);
        Assert.All(demand.Vehicles, v =>
        {
            Assert.Contains(network.FindEdge(v.Route[0])!.From, new[] { "B1", "C1", "B2", "C2" });
            Assert.Contains(v.Route[^1], new[] { "B0A0", "C3D3", "A2A3", "D1D0" });
            Assert.DoesNotContain("C1C0", v.Route);
        });
    }

    [Fact]
    public async Task A_heavy_evacuation_of_a_10x10_grid_clears_in_Doppel_as_in_SUMO()
    {
        // Given the signalised 10 × 10 grid of the issue (netgenerate's own command) and 2,000 vehicles leaving its
        // 16 central junctions within ten minutes for the four corners
        var folder = Repository.TempFolder();
        var net = Path.Combine(folder, "grid10x10.net.xml");
        var tools = SumoTools.Find();
        Assert.True(tools.IsSuccess, tools.Error?.Message);
        using (var netgenerate = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(tools.Value!.NetGenerate,
            ["--grid", "--grid.number", "10", "--grid.length", "200", "--default.lanenumber", "2", "--tls.guess", "true", "--output-file", net])
        { RedirectStandardOutput = true, RedirectStandardError = true })!)
        {
            await netgenerate.WaitForExitAsync();
            Assert.Equal(0, netgenerate.ExitCode);
        }

        // When the evacuation runs in Doppel and in SUMO on three seeds each
        var (exit, stdout, stderr) = await DoppelProcess.RunAsync("traffic", "evacuate", net, "--area", "600,600,1200,1200", "--to", "A0B0,J9I9,A9A8,J0J1",
            "--vehicles", "2000", "--window", "600", "--seeds", "3", "--json");

        // Then the clearance times agree within 5%, and so do the times by which half and 90% are out, and the times out
        // pass the KS test (the engine before SUMO's junction requests cleared 6.7% later, KS p < 0.001)
        Assert.True(exit == 0, stdout + stderr);
        var result = JsonNode.Parse(stdout)!;
        var comparison = result["comparison"]!;
        Assert.InRange((double)comparison["clearanceDifference"]!, -5, 5);
        Assert.True((double)comparison["ksPValue"]! >= 0.05, comparison.ToJsonString());
        foreach (var quantile in new[] { "0.5", "0.9" })
        {
            double Mean(string simulator) => result[simulator]!["runs"]!.AsArray().Average(r => (double)r!["quantiles"]![quantile]!);
            Assert.InRange(Mean("doppel") / Mean("sumo"), 0.95, 1.05);
        }
        Directory.Delete(folder, recursive: true);
    }

    [Theory]
    [InlineData("optimize", "The network has no traffic light 'Z9' (it has A0, B0, C0).", "--signals", "Z9")]
    [InlineData("optimize", "--program-id '0' is a program the network has already", "--program-id", "0")]
    [InlineData("evacuate", "The network has no road 'NOPE' (a normal edge that cars drive).", "--district", "B1", "--to", "NOPE")]
    [InlineData("evacuate", "--area is xmin,ymin,xmax,ymax", "--area", "1,2,3", "--to", "B0A0")]
    public async Task Bad_input_is_a_usage_error_that_says_what_is_wrong(string verb, string message, params string[] options)
    {
        string[] arguments = verb == "optimize" ? ["traffic", verb, Corridor, CorridorRoutes, .. options] : ["traffic", verb, Grid, "--no-sumo", .. options];

        var (exit, _, stderr) = await DoppelProcess.RunAsync(arguments);

        Assert.Equal(2, exit);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
    }
}
