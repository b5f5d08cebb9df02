using Doppel.Packs.Health.Drugs;
using Doppel.Simulation;
using Xunit.Abstractions;

namespace Doppel.Tests.Packs.Health.Drugs;

/// <summary>
/// MAP estimation against a brute-force posterior mode (grids, no derivatives), the Laplace uncertainty against
/// importance sampling of the exact posterior, and target attainment after one level-guided adjustment.
/// </summary>
public sealed class BayesianDosingTests(ITestOutputHelper output)
{
    private static readonly PopulationModel Goti = Vancomycin.Goti2018;

    public static TheoryData<int> Patients() => [0, 1, 2, 3, 4, 5, 6, 7];

    [Theory]
    [MemberData(nameof(Patients))]
    public void The_MAP_estimate_is_the_brute_force_posterior_mode_within_1_percent(int index)
    {
        var population = Vancomycin.HospitalAdults();
        var patient = population.Draw(Goti, 2024, index);
        var regimen = Vancomycin.WeightBased(patient.Covariates["weight"], 5);
        // Odd patients have one trough only: a flatter posterior, the harder case.
        var levels = Measure(patient, regimen, new SimRandom((ulong)index + 100));
        if (index % 2 == 1)
        {
            levels = [levels[1]];
        }
        var fit = BayesianEstimator.Fit(Goti, patient.Covariates, regimen.Doses(), levels);
        Assert.True(fit.IsSuccess, fit.Error?.Message);
        Assert.True(fit.Value.Converged);

        var grid = BayesianEstimator.GridMode(Goti, patient.Covariates, regimen.Doses(), levels);
        var byGrid = Goti.Individual(patient.Covariates, grid);
        var map = fit.Value.Parameters;
        output.WriteLine($"patient {index}: CL {map.CL:F4} vs {byGrid.CL:F4}, V1 {map.V1:F3} vs {byGrid.V1:F3}, V2 {map.V2:F3} vs {byGrid.V2:F3}; objective {fit.Value.Objective:F6} vs {BayesianEstimator.Objective(Goti, patient.Covariates, regimen.Doses(), levels, grid):F6}");
        Assert.Equal(1, map.CL / byGrid.CL, 0.01);
        Assert.Equal(1, map.V1 / byGrid.V1, 0.01);
        Assert.Equal(1, map.V2 / byGrid.V2, 0.01);
        Assert.True(fit.Value.Objective <= BayesianEstimator.Objective(Goti, patient.Covariates, regimen.Doses(), levels, grid) + 1e-9);
    }

    [Fact]
    public void The_Laplace_uncertainty_of_clearance_agrees_with_importance_sampling_of_the_exact_posterior()
    {
        var patient = Vancomycin.HospitalAdults(0).Draw(Goti, 7, 3);
        var regimen = Vancomycin.WeightBased(patient.Covariates["weight"], 5);
        var levels = Measure(patient, regimen, new SimRandom(9));
        var fit = BayesianEstimator.Fit(Goti, patient.Covariates, regimen.Doses(), levels).Value!;
        // Proposal: the Laplace normal widened ×1.5; weights exp(−J)/q.
        var widened = fit with { Covariance = Scale(fit.Covariance, 2.25) };
        var draws = BayesianEstimator.Sample(widened, 40_000, 5);
        var inverse = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseOfArray(widened.Covariance).Inverse();
        var logWeights = draws.Select(eta =>
        {
            var d = MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense([.. eta.Zip(fit.Eta, (a, b) => a - b)]);
            return -BayesianEstimator.Objective(Goti, patient.Covariates, regimen.Doses(), levels, eta) + (0.5 * (d * inverse * d));
        }).ToArray();
        var max = logWeights.Max();
        var weights = logWeights.Select(w => Math.Exp(w - max)).ToArray();
        var total = weights.Sum();
        var mean = draws.Select((eta, i) => weights[i] * eta[0]).Sum() / total;
        var sd = Math.Sqrt(draws.Select((eta, i) => weights[i] * (eta[0] - mean) * (eta[0] - mean)).Sum() / total);
        output.WriteLine($"η_CL: MAP {fit.Eta[0]:F4} ± {fit.EtaSd(0):F4} (Laplace); posterior mean {mean:F4} ± {sd:F4} (importance sampling)");
        Assert.Equal(fit.EtaSd(0), sd, 0.2 * sd);
        Assert.Equal(fit.Eta[0], mean, 0.5 * sd);
    }

    [Fact]
    public void After_one_level_guided_adjustment_at_least_90_percent_of_a_virtual_cohort_reach_AUC24_400_to_600()
    {
        var options = new AttainmentOptions(Patients: 200, Seed: 1, Assay: AttainmentOptions.DefaultAssay);
        var result = TargetAttainment.Run(Goti, Vancomycin.HospitalAdults(), options);
        var guided = result.GuidedInTarget;
        var standard = result.StandardInTarget;
        output.WriteLine($"weight-based 15 mg/kg q12h: {standard.Value:P1} in target ({result.StandardBelow.Value:P1} below, {result.StandardAbove.Value:P1} above)");
        output.WriteLine($"after one level-guided adjustment: {guided.Value:P1} in target ({result.GuidedBelow.Value:P1} below, {result.GuidedAbove.Value:P1} above)");
        Assert.True(guided.Value >= 0.9, $"only {guided.Value:P1} in target after the adjustment");
        Assert.True(standard.Value < 0.6, $"the weight-based start reaches {standard.Value:P1}: the cohort is not a test");
        // Same seed, same cohort, same answers.
        var again = TargetAttainment.One(Goti, Vancomycin.HospitalAdults(), options, 17);
        Assert.Equal(result.Outcomes[17].Recommendation.Regimen, again.Recommendation.Regimen);
    }

    [Fact]
    public void A_recommendation_puts_the_map_AUC24_near_the_middle_of_the_target_with_its_posterior()
    {
        var covariates = new Dictionary<string, double> { ["crcl"] = 60, ["weight"] = 80, ["dialysis"] = 0 };
        var doses = new DosingRegimen(1000, 12, 4).Doses();
        var fit = BayesianEstimator.Fit(Goti, covariates, doses, [new Level(38, 30), new Level(47.5, 14)]).Value!;
        var recommendation = DoseFinder.Recommend(fit, new DoseTarget()).Value!;
        Assert.InRange(recommendation.Auc24, 400, 600);
        Assert.True(recommendation.Auc24Lower < recommendation.Auc24Median && recommendation.Auc24Median < recommendation.Auc24Upper);
        Assert.Equal(recommendation.ProbabilityInTarget, recommendation.Candidates.Max(c => c.ProbabilityInTarget));
        Assert.True(recommendation.Peak > recommendation.Trough);
        Assert.Equal(recommendation.Regimen.DailyDose / fit.Parameters.CL, recommendation.Auc24, 9);
    }

    [Fact]
    public void Bad_levels_and_covariates_are_refused_with_the_reason()
    {
        var doses = new DosingRegimen(1000, 12, 4).Doses();
        var covariates = new Dictionary<string, double> { ["crcl"] = 60, ["weight"] = 80, ["dialysis"] = 0 };
        Assert.Contains("needs the covariate 'weight'", BayesianEstimator.Fit(Goti, new Dictionary<string, double> { ["crcl"] = 60, ["dialysis"] = 0 }, doses, [new Level(47, 10)]).Error!.Message, StringComparison.Ordinal);
        Assert.Contains("a level must be a concentration", BayesianEstimator.Fit(Goti, covariates, doses, [new Level(47, -3)]).Error!.Message, StringComparison.Ordinal);
        Assert.Contains("doses are needed", BayesianEstimator.Fit(Goti, covariates, [], [new Level(47, 3)]).Error!.Message, StringComparison.Ordinal);
        Assert.Contains("amount must be 0 mg or more", BayesianEstimator.Fit(Goti, covariates, [new Dose(0, -1000, DoseRoute.Bolus)], [new Level(47, 3)]).Error!.Message, StringComparison.Ordinal);
    }

    /// <summary>A peak and a trough around the 4th dose, with Goti's residual error.</summary>
    private static List<Level> Measure(VirtualPatient patient, DosingRegimen regimen, SimRandom random)
    {
        var pk = new CompartmentModel(patient.Parameters);
        double[] times = [(3 * regimen.Interval) + regimen.InfusionDuration + 1, (4 * regimen.Interval) - 0.5];
        return [.. times.Select(t => new Level(t, Goti.Residual.Sample(pk.Concentration(regimen.Doses(), t), random)))];
    }

    private static double[,] Scale(double[,] m, double factor)
    {
        var result = (double[,])m.Clone();
        for (var i = 0; i < m.GetLength(0); i++)
        {
            for (var j = 0; j < m.GetLength(1); j++)
            {
                result[i, j] *= factor;
            }
        }
        return result;
    }
}
