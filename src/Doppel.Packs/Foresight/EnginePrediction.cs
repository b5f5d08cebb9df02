namespace Doppel.Packs.Foresight;

/// <summary>One engine's predicted remaining useful life, in cycles from now, with the predictor's interval.</summary>
/// <param name="EngineId">The engine (a twin id, or a name in a scenario file).</param>
/// <param name="Rul">The predicted remaining useful life (the most likely value).</param>
/// <param name="Lower">The interval's lower end.</param>
/// <param name="Upper">The interval's upper end.</param>
public sealed record EnginePrediction(string EngineId, double Rul, double Lower, double Upper)
{
    /// <summary>What is wrong with the prediction, or null: finite numbers with lower ≤ rul ≤ upper and upper ≥ 0.</summary>
    public string? Problem() =>
        !double.IsFinite(Rul) || !double.IsFinite(Lower) || !double.IsFinite(Upper) ? "rul, lower and upper must be finite numbers"
        : !(Lower <= Rul && Rul <= Upper) ? $"needs lower ≤ rul ≤ upper, got {Lower:G6} ≤ {Rul:G6} ≤ {Upper:G6}"
        : Upper < 0 ? $"the interval [{Lower:G6}, {Upper:G6}] lies below zero"
        : null;
}
