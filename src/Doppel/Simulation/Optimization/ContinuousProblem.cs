namespace Doppel.Simulation.Optimization;

/// <summary>
/// A continuous search space: a lower and an upper bound for each dimension, optionally cut down by inequality
/// constraints g(x) ≤ 0 (for example x + y ≥ 1 is written as 1 − x − y).
/// </summary>
public sealed record ContinuousProblem(IReadOnlyList<double> Lower, IReadOnlyList<double> Upper)
{
    public int Dimensions => Lower.Count;

    /// <summary>Constraints g, each met where g(x) ≤ 0; they should be cheap and deterministic (they are called on one thread).</summary>
    public IReadOnlyList<Func<IReadOnlyList<double>, double>> Constraints { get; init; } = [];

    /// <summary>What makes the problem unusable, one message each; empty when it is well formed.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Lower.Count == 0 || Lower.Count != Upper.Count)
        {
            errors.Add($"Give a lower and an upper bound for each dimension (got {Lower.Count} and {Upper.Count}).");
            return errors;
        }
        for (var i = 0; i < Dimensions; i++)
        {
            if (!double.IsFinite(Lower[i]) || !double.IsFinite(Upper[i]) || !(Lower[i] < Upper[i]))
            {
                errors.Add($"Dimension {i + 1}: need finite bounds with lower ({Lower[i]}) < upper ({Upper[i]}).");
            }
        }
        return errors;
    }

    /// <summary>How far <paramref name="x"/> is from meeting the constraints: the sum of the positive g(x), 0 when all are met, infinite when one is NaN.</summary>
    public double Violation(IReadOnlyList<double> x)
    {
        var total = 0.0;
        foreach (var constraint in Constraints)
        {
            var g = constraint(x);
            total += double.IsNaN(g) ? double.PositiveInfinity : Math.Max(0, g);
        }
        return total;
    }

    /// <summary>Whether <paramref name="x"/> lies within the bounds and meets every constraint.</summary>
    public bool IsFeasible(IReadOnlyList<double> x) =>
        x.Count == Dimensions && x.Select((v, i) => v >= Lower[i] && v <= Upper[i]).All(ok => ok) && Violation(x) == 0;
}
