using Doppel.Simulation;
using Doppel.Simulation.Experiments;

namespace Doppel.Tests.Simulation.Experiments;

/// <summary>Parameter grids and the results table of a sweep.</summary>
public sealed class ParameterSweepTests
{
    [Fact]
    public void A_grid_is_the_cartesian_product_with_the_last_parameter_fastest()
    {
        var scenarios = new ParameterSweep().Add("servers", 1, 2).Add("rate", 0.5, 0.75, 0.9)
            .Scenarios(new Dictionary<string, double> { ["horizon"] = 100 });

        Assert.Equal(
            ["servers=1, rate=0.5", "servers=1, rate=0.75", "servers=1, rate=0.9", "servers=2, rate=0.5", "servers=2, rate=0.75", "servers=2, rate=0.9"],
            scenarios.Select(s => s.Name));
        Assert.Equal(2, scenarios[4]["servers"]);
        Assert.Equal(0.75, scenarios[4]["rate"]);
        Assert.Equal(100, scenarios[4]["horizon"]);
    }

    [Fact]
    public void A_sweep_runs_into_a_results_table()
    {
        // Given a sweep whose KPI is servers × rate plus noise
        var scenarios = new ParameterSweep().Add("servers", 1, 2).Add("rate", 0.5, 0.9).Scenarios();
        Replication replication = (context, _) => new Dictionary<string, double>
        {
            ["load"] = (context["servers"] * context["rate"]) + new SimRandom(context.Seed).NextDouble(),
        };

        // When it runs and is tabulated
        var table = new ExperimentRunner(new ExperimentOptions { Replications = 8 }).Run(scenarios, replication).ToTable();

        // Then each row holds the parameters, the replication count and the KPI summary
        Assert.Equal(["servers", "rate", "replications", "load", "load.halfWidth", "load.stdDev"], table.Columns);
        Assert.Equal(4, table.Rows.Count);
        Assert.Equal([2, 0.9, 8], table.Rows[3].Take(3));
        Assert.InRange(table.Rows[3][3], 1.8, 2.8);
        var csv = new StringWriter();
        table.WriteCsv(csv);
        Assert.StartsWith("scenario,servers,rate,replications,load,load.halfWidth,load.stdDev\n\"servers=1, rate=0.5\",1,0.5,8,", csv.ToString(), StringComparison.Ordinal);
    }
}
