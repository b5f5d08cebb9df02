using System.Text.Json.Nodes;
using Doppel.Modeling;
using Doppel.Packs;
using Doppel.Packs.Foresight;

namespace Doppel.Tests.Packs.Foresight;

/// <summary>The foresight pack's registration, its sample fleet and models, and its scenario files read and run.</summary>
public sealed class ForesightPackTests
{
    private static readonly PackCatalog Catalog = PackCatalog.Create([new ForesightPack()]);

    [Fact]
    public void The_pack_registers_its_models_sample_kinds_and_console_page()
    {
        var pack = Assert.Single(Catalog.Packs);

        Assert.Equal("foresight", pack.Name);
        Assert.Equal([Turbofan.ModelId, Turbofan.FleetModelId], pack.ModelIds);
        Assert.Equal(["engines"], pack.Samples.Select(s => s.Name));
        Assert.Equal(["engine-maintenance"], pack.ExperimentKinds.Select(k => k.Name));
        Assert.Equal(["engine-maintenance"], pack.ScenarioKinds.Select(k => k.Name));
        var page = Assert.Single(pack.ConsolePages);
        Assert.Equal(("fleet", Turbofan.FleetModelId), (page.Name, page.ModelId));
        using var module = new StreamReader(page.OpenModule());
        Assert.Contains("export default", module.ReadToEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_turbofan_model_declares_the_contracts_channels_and_prediction_properties_and_parses()
    {
        var catalog = new ModelCatalog();
        var added = catalog.Add(Catalog.Packs[0].Models, DateTimeOffset.UnixEpoch);
        Assert.True(added.IsSuccess, added.Error?.Message);

        var turbofan = JsonNode.Parse(Catalog.Packs[0].Models[0].Json)!;
        var contents = turbofan["contents"]!.AsArray().Select(c => (Name: (string)c!["name"]!, Type: c["@type"]!.ToJsonString(), Schema: c["schema"]?.ToJsonString())).ToList();
        var telemetry = contents.Where(c => c.Type.Contains("Telemetry", StringComparison.Ordinal)).Select(c => c.Name).ToList();
        Assert.Equal(["cycle", .. Turbofan.Channels], telemetry);
        Assert.Equal(25, telemetry.Count);
        foreach (var (name, schema) in new[] { ("rul", "\"double\""), ("rulLower", "\"double\""), ("rulUpper", "\"double\""), ("rulPredictor", "\"string\""), ("serial", "\"string\"") })
        {
            Assert.Contains(contents, c => c.Name == name && c.Type.Contains("Property", StringComparison.Ordinal) && c.Schema == schema);
        }
    }

    [Fact]
    public void The_sample_holds_a_hundred_engines_and_their_fleet()
    {
        var sample = Catalog.FindSample("engines")!.Value.Sample.Read();

        Assert.True(sample.IsSuccess, sample.Error?.Message);
        Assert.Equal(2, sample.Value.Models.Count);
        var engines = sample.Value.Twins.Where(t => (string?)t["$metadata"]!["$model"] == Turbofan.ModelId).ToList();
        Assert.Equal(100, engines.Count);
        Assert.Equal("engine-001", (string?)engines[0]["$dtId"]);
        Assert.Equal("FD001-test-100", (string?)engines[99]["serial"]);
        Assert.Equal(100, sample.Value.Relationships.Count(r => (string?)r["$sourceId"] == "fleet-1" && (string?)r["$relationshipName"] == "engines"));
    }

    [Fact]
    public void The_sample_scenario_file_is_read_and_claimed_by_its_kind_without_naming_it()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot(), "samples", "engines", "maintenance.yaml"));

        var read = Catalog.ReadExperiment(text.Replace("kind: engine-maintenance\n", "", StringComparison.Ordinal), null);

        Assert.True(read.IsSuccess, read.Error?.Message);
        Assert.Equal("engine-maintenance", read.Value.Kind.Name);
        Assert.Equal(80, read.Value.Plan.Run.Duration);
        Assert.NotNull(read.Value.Plan.Optimization);
    }

    [Theory]
    [InlineData("fleet:\n  engines:\n    - { id: a, rul: 10, lower: 12, upper: 20 }\n", "line 4, fleet.engines[0]: needs lower ≤ rul ≤ upper, got 12 ≤ 10 ≤ 20")]
    [InlineData("fleet:\n  engines:\n    - { id: a, rul: 10 }\nschedule: { period: 10, perods: 3 }\n", "line 5, schedule: unknown key 'perods'; did you mean 'periods'?")]
    [InlineData("fleet:\n  engines:\n    - { id: a, rul: 10 }\n    - { id: a, rul: 12 }\n", "engine 'a' is listed twice")]
    [InlineData("fleet:\n  engines: []\n", "lists no engine")]
    [InlineData("fleet:\n  engines:\n    - { id: a, rul: 10 }\ncosts: { failure: -1 }\n", "line 5, costs.failure: must be 0 or more, got -1")]
    [InlineData("fleet:\n  engines:\n    - { id: a, rul: 10 }\nrun: { warmup: 5 }\n", "does not apply to engine-maintenance")]
    public void A_bad_file_is_refused_with_where_and_why(string text, string expected)
    {
        var read = Catalog.ReadExperiment("kind: engine-maintenance\n" + text, null);

        Assert.False(read.IsSuccess);
        Assert.Contains(expected, read.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_runs_into_the_optimized_plan_compared_with_the_rule_and_running_to_failure()
    {
        const string text = """
            kind: engine-maintenance
            fleet:
              engines:
                - { id: a, rul: 8, lower: 2, upper: 14 }
                - { id: b, rul: 15, lower: 8, upper: 25 }
                - { id: c, rul: 60, lower: 50, upper: 70 }
            schedule: { period: 10, periods: 3, capacity: 1 }
            search: { population: 8, generations: 4 }
            run: { replications: 20, seed: 3 }
            """;
        var experiment = Catalog.ReadExperiment(text, null).Value!;

        var result = experiment.Execute(null, CancellationToken.None);

        Assert.Equal(["rule", "optimized", "run-to-failure"], result["scenarios"]!.AsArray().Select(s => (string)s!["name"]!));
        var plan = result["plan"]!.AsArray();
        Assert.Equal(["a", "b", "c"], plan.Select(p => (string)p!["engine"]!));
        // c's life outlasts the 30-cycle horizon: servicing it would only throw life away.
        Assert.Null(plan[2]!["period"]);
        var costs = result["scenarios"]!.AsArray().ToDictionary(s => (string)s!["name"]!, s => (double)s!["kpis"]!["cost"]!["mean"]!);
        Assert.True(costs["optimized"] < costs["run-to-failure"], $"optimized {costs["optimized"]} against run-to-failure {costs["run-to-failure"]}");
        Assert.Equal("engine-maintenance", (string?)result["kind"]);
        Assert.Equal(30, (double)result["run"]!["duration"]!);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Doppel.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Doppel.slnx not found above " + AppContext.BaseDirectory);
    }
}
