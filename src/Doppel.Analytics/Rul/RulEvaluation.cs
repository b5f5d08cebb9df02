namespace Doppel.Analytics.Rul;

/// <summary>The standard last-cycle protocol: one prediction per test unit, at its last row, against its true RUL.</summary>
public static class RulEvaluation
{
    /// <summary>RMSE, NASA score and interval coverage of <paramref name="predictor"/> on <paramref name="test"/>, whose i-th unit's true RUL is <paramref name="truth"/>[i] (uncapped).</summary>
    public static RulMetrics Evaluate(RulPredictor predictor, IReadOnlyList<Trajectory> test, IReadOnlyList<double> truth)
    {
        var estimates = PredictLast(predictor, test);
        return Score(estimates, truth);
    }

    /// <summary>The predictor's estimate at the last row of each unit.</summary>
    public static IReadOnlyList<RulEstimate> PredictLast(RulPredictor predictor, IReadOnlyList<Trajectory> units)
    {
        ArgumentNullException.ThrowIfNull(predictor);
        ArgumentNullException.ThrowIfNull(units);
        var estimates = new RulEstimate[units.Count];
        for (var i = 0; i < units.Count; i++)
        {
            estimates[i] = predictor.Predict(predictor.Inputs(units[i]));
        }
        return estimates;
    }

    /// <summary>Metrics of estimates against true RULs, unit by unit.</summary>
    public static RulMetrics Score(IReadOnlyList<RulEstimate> estimates, IReadOnlyList<double> truth)
    {
        ArgumentNullException.ThrowIfNull(estimates);
        ArgumentNullException.ThrowIfNull(truth);
        if (estimates.Count != truth.Count)
        {
            throw new ArgumentException($"{estimates.Count} units but {truth.Count} true RULs: the truth file must have one row per test unit.", nameof(truth));
        }
        double squares = 0, score = 0;
        var covered = 0;
        for (var i = 0; i < truth.Count; i++)
        {
            var d = estimates[i].Rul - truth[i];
            squares += d * d;
            score += NasaScore.Of(d);
            covered += truth[i] >= estimates[i].Lower && truth[i] <= estimates[i].Upper ? 1 : 0;
        }
        var n = Math.Max(1, truth.Count);
        return new RulMetrics(Math.Sqrt(squares / n), score, covered / (double)n, truth.Count);
    }
}
