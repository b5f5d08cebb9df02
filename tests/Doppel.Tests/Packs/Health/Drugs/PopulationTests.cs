using Doppel.Packs.Health.Drugs;
using Doppel.Simulation;

namespace Doppel.Tests.Packs.Health.Drugs;

/// <summary>Random effects drawn with their full covariance, covariate models, residual errors, virtual populations.</summary>
public sealed class PopulationTests
{
    private static PopulationModel Correlated() => new(
        "test", "A one-compartment model with correlated CL and V.", "none", 1,
        [
            new PopulationParameter("CL", 5, [new CovariateEffect("weight", CovariateForm.Power, 0.75, 70)], Eta: 0),
            new PopulationParameter("V1", 50, [new CovariateEffect("weight", CovariateForm.Power, 1, 70), new CovariateEffect("age", CovariateForm.Exponential, -0.01, 40)], Eta: 1),
        ],
        ["eta_CL", "eta_V"], new double[,] { { 0.09, 0.06 }, { 0.06, 0.16 } }, new ResidualError(0.5, 0.1));

    [Fact]
    public void Random_effects_are_drawn_with_the_full_covariance()
    {
        var model = Correlated();
        var random = new SimRandom(3);
        const int n = 40_000;
        double s00 = 0, s01 = 0, s11 = 0, m0 = 0, m1 = 0;
        for (var i = 0; i < n; i++)
        {
            var eta = model.SampleEta(random);
            m0 += eta[0];
            m1 += eta[1];
            s00 += eta[0] * eta[0];
            s01 += eta[0] * eta[1];
            s11 += eta[1] * eta[1];
        }
        Assert.Equal(0, m0 / n, 2);
        Assert.Equal(0.09, s00 / n, 0.004);
        Assert.Equal(0.06, s01 / n, 0.004);
        Assert.Equal(0.16, s11 / n, 0.006);
    }

    [Fact]
    public void Covariates_scale_the_typical_values()
    {
        var model = Correlated();
        var p = model.Individual(new Dictionary<string, double> { ["weight"] = 140, ["age"] = 60 }, [0.1, -0.2]);
        Assert.Equal(5 * Math.Pow(2, 0.75) * Math.Exp(0.1), p.CL, 12);
        Assert.Equal(50 * 2 * Math.Exp(-0.01 * 20) * Math.Exp(-0.2), p.V1, 12);
        Assert.Contains("needs the covariate 'age'", model.CovariateProblem(new Dictionary<string, double> { ["weight"] = 70 }), StringComparison.Ordinal);
        // Goti's CrCL is truncated at 150 and dialysis multiplies CL by 0.7 and Vc by 0.5.
        var goti = Vancomycin.Goti2018;
        var dialysis = goti.Typical(new Dictionary<string, double> { ["crcl"] = 200, ["weight"] = 70, ["dialysis"] = 1 });
        Assert.Equal(4.5 * Math.Pow(150 / 120.0, 0.8) * 0.7, dialysis.CL, 12);
        Assert.Equal(58.4 * 0.5, dialysis.V1, 12);
    }

    [Fact]
    public void Residual_errors_have_the_variance_of_their_kind()
    {
        var combined = new ResidualError(3.4, 0.227);
        Assert.Equal("combined", combined.Kind);
        Assert.Equal("additive", new ResidualError(1, 0).Kind);
        Assert.Equal("proportional", new ResidualError(0, 0.1).Kind);
        Assert.Equal((3.4 * 3.4) + (0.227 * 0.227 * 400), combined.Variance(20), 12);
        var random = new SimRandom(5);
        var draws = Enumerable.Range(0, 50_000).Select(_ => combined.Sample(30, random)).ToArray();
        var mean = draws.Average();
        var variance = draws.Select(d => (d - mean) * (d - mean)).Average();
        Assert.Equal(30, mean, 0.1);
        Assert.Equal(combined.Variance(30), variance, 0.02 * combined.Variance(30));
        Assert.NotNull(new ResidualError(0, 0).Problem());
    }

    [Fact]
    public void A_virtual_population_is_reproducible_and_has_its_covariate_distributions()
    {
        var population = Vancomycin.HospitalAdults();
        var model = Vancomycin.Goti2018;
        var first = Enumerable.Range(0, 2000).Select(i => population.Draw(model, 11, i)).ToList();
        var again = population.Draw(model, 11, 17);
        Assert.Equal(first[17].Parameters, again.Parameters);
        Assert.NotEqual(first[17].Parameters, population.Draw(model, 12, 17).Parameters);
        var weights = first.Select(p => p.Covariates["weight"]).Order().ToArray();
        Assert.InRange(weights[1000], 76, 82);
        Assert.All(first, p => Assert.InRange(p.Covariates["crcl"], 1, 150));
        Assert.All(first.Where(p => p.Covariates["dialysis"] == 1), p => Assert.True(p.Covariates["crcl"] <= 15));
        Assert.InRange(first.Average(p => p.Covariates["dialysis"]), 0.16, 0.21);
        // Cockcroft–Gault: a 40-year-old man of 72 kg with SCr 1 mg/dL has 100 mL/min; a woman 85.
        Assert.Equal(100, VirtualPopulation.CreatinineClearance(40, 72, false, 1), 12);
        Assert.Equal(85, VirtualPopulation.CreatinineClearance(40, 72, true, 1), 12);
        Assert.Contains("Cockcroft", new VirtualPopulation([new CovariateDistribution("age", DistributionKind.Uniform, 20, 80)], CockcroftGault: true).Problem(), StringComparison.Ordinal);
    }
}
