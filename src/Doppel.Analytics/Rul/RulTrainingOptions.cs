namespace Doppel.Analytics.Rul;

/// <summary>How <see cref="RulTrainer.Train"/> builds a predictor. Defaults are the ones the C-MAPSS bench uses.</summary>
public sealed record RulTrainingOptions
{
    /// <summary>The kinds of model <see cref="Kind"/> accepts.</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["gbt", "sequence", "ensemble"];

    /// <summary>"gbt" (gradient-boosted trees on window features), "sequence" (a 1D convolutional network on the window), or "ensemble" (both, weighted on validation).</summary>
    public string Kind { get; init; } = "ensemble";

    /// <summary>Seeds the validation split, the truncation of validation units, the trees' sampling and the network's initialisation.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>The training target is min(RUL, Cap): a piecewise-linear degradation model, flat while the unit is healthy.</summary>
    public int Cap { get; init; } = 125;

    /// <summary>The nominal coverage of the prediction intervals.</summary>
    public double Coverage { get; init; } = 0.9;

    /// <summary>The sensor channels to learn from; null: every channel except the settings and the cycle, less the near-constant ones.</summary>
    public IReadOnlyList<string>? Sensors { get; init; }

    /// <summary>The operating settings clustered into regimes, each sensor then normalised within its regime; null: no regimes.</summary>
    public IReadOnlyList<string>? Settings { get; init; }

    /// <summary>Rows the predictor reads (the window ending now).</summary>
    public int Window { get; init; } = 30;

    /// <summary>Share of the training units held out for validation (hyper-parameters, ensemble weight, interval calibration).</summary>
    public double ValidationShare { get; init; } = 0.2;

    /// <summary>Upper bound on the sequence model's epochs (early stopping on validation usually ends sooner).</summary>
    public int MaxEpochs { get; init; } = 100;

    /// <summary>Threads the training may use; results do not depend on it.</summary>
    public int Threads { get; init; } = Math.Max(1, Environment.ProcessorCount);
}
