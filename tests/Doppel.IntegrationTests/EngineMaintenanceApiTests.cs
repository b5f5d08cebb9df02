using System.Text.Json.Nodes;
using Doppel.IntegrationTests.Support;

namespace Doppel.IntegrationTests;

/// <summary>
/// The maintenance decision through the server: planned from the live fleet's current predictions (a scenario on the
/// fleet twin) with the fleet's own crew capacity and costs, from a scenario file (an experiment), and from the command
/// line; engines without a prediction are left out and named, a fleet with none is refused with why.
/// </summary>
public sealed class EngineMaintenanceApiTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task A_plan_is_made_from_the_live_fleets_predictions_from_a_file_and_from_the_command_line()
    {
        await server.SendOkAsync(HttpMethod.Post, "/doppel/samples/engines/load");
        // Before any predictor wrote on the engines there is nothing to plan.
        using (var none = await server.SendAsync(HttpMethod.Post, "/doppel/scenarios", """{"kind":"engine-maintenance","twin":"fleet-1"}"""))
        {
            Assert.Contains("No engine of fleet 'fleet-1' has a prediction yet", await AdtAssert.Error(none, 400, "InvalidArgument"), StringComparison.Ordinal);
        }

        // Given five engines with predictions, as their predictor writes them
        (string Engine, double Rul, double Lower, double Upper)[] predictions =
            [("engine-003", 9, 2, 18), ("engine-017", 14, 5, 25), ("engine-021", 26, 15, 40), ("engine-058", 33, 20, 48), ("engine-090", 140, 120, 160)];
        foreach (var (engine, rul, lower, upper) in predictions)
        {
            await server.SendOkAsync(HttpMethod.Patch, $"/digitaltwins/{engine}",
                new JsonArray(Add("rul", rul), Add("rulLower", lower), Add("rulUpper", upper)).ToJsonString(), "application/json-patch+json");
        }

        // When the live fleet is planned (its twin holds the crew's capacity, the period and the costs)
        var live = await server.SendOkAsync(HttpMethod.Post, "/doppel/scenarios", """
            {"kind":"engine-maintenance","twin":"fleet-1","search":{"population":8,"generations":5},"run":{"replications":20,"seed":4}}
            """);

        // Then the plan covers the engines with a prediction, names the others, and beats running to failure
        Assert.Equal("fleet-1", (string?)live["fleet"]);
        Assert.Equal(predictions.Select(p => p.Engine), live["plan"]!.AsArray().Select(p => (string?)p!["engine"]));
        Assert.Equal(95, live["withoutPrediction"]!.AsArray().Count);
        Assert.Equal(4, (int)live["schedule"]!["capacity"]!);
        Assert.Equal(80, (double)live["run"]!["duration"]!);
        // engine-090's life outlasts the 80-cycle horizon: no service; engine-003 is at risk in the first period.
        Assert.Null(live["plan"]![4]!["period"]);
        Assert.NotNull(live["plan"]![0]!["period"]);
        var costs = live["scenarios"]!.AsArray().ToDictionary(s => (string)s!["name"]!, s => (double)s!["kpis"]!["cost"]!["mean"]!);
        Assert.True(costs["optimized"] < costs["run-to-failure"], string.Join(", ", costs));
        Assert.True((bool)live["scenarios"]![2]!["comparisons"]!["cost"]!["significant"]!);

        // And the sample scenario file runs as an experiment on the server
        var file = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "samples", "engines", "maintenance.yaml"));
        var experiment = await server.SendOkAsync(HttpMethod.Post, "/doppel/experiments", file.Replace("replications: 100", "replications: 20", StringComparison.Ordinal), "application/yaml");
        Assert.Equal("engine-maintenance", (string?)experiment["kind"]);
        Assert.Equal(12, experiment["plan"]!.AsArray().Count);

        // And from the command line, against the live fleet and locally on the file
        var cli = await DoppelProcess.RunAsync("simulate", "--twin", "fleet-1", "--server", server.Server.HttpAddress!.ToString(), "--replications", "10");
        Assert.True(cli.ExitCode == 0, cli.StdErr);
        Assert.Contains("5 engines, 8 periods of 10 cycles, 4 jobs a period", cli.StdOut, StringComparison.Ordinal);
        Assert.Contains("run-to-failure", cli.StdOut, StringComparison.Ordinal);
        var optimize = await DoppelProcess.RunAsync("optimize", Path.Combine(Repository.Root, "samples", "engines", "maintenance.yaml"));
        Assert.True(optimize.ExitCode == 0, optimize.StdErr);
        Assert.Contains("engine-031", optimize.StdOut, StringComparison.Ordinal);
        Assert.Contains("no single move or swap improves it", optimize.StdOut, StringComparison.Ordinal);
    }

    private static JsonObject Add(string name, double value) => new() { ["op"] = "add", ["path"] = "/" + name, ["value"] = value };
}
