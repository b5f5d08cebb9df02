using Doppel.Packs.Foresight.Internal;
using Doppel.Simulation;

namespace Doppel.Packs.Foresight;

/// <summary>
/// The distribution of an engine's remaining useful life implied by a prediction and its interval: a split normal
/// (two half normals joined at the predicted value) whose scales put exactly the interval's coverage between its ends,
/// so an asymmetric interval (a quantile model's) gives a skewed distribution and a symmetric one (a conformal interval)
/// a normal. Life cannot be negative: what falls below zero is an engine that fails at once.
/// </summary>
public sealed class RulDistribution
{
    private readonly double _weightBelow;

    /// <summary>The distribution whose central <paramref name="coverage"/> interval is the prediction's interval.</summary>
    /// <param name="prediction">The prediction (valid: <see cref="EnginePrediction.Problem"/> is null).</param>
    /// <param name="coverage">What the interval covers, in (0, 1) (0.9 for a 90% interval).</param>
    public RulDistribution(EnginePrediction prediction, double coverage)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        if (prediction.Problem() is { } problem)
        {
            throw new ArgumentException($"Engine '{prediction.EngineId}': {problem}.", nameof(prediction));
        }
        if (!(coverage > 0 && coverage < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(coverage), coverage, "An interval's coverage is between 0 and 1, exclusive.");
        }
        // Each half holds its share of the probability, and within it the interval's end sits at the same quantile
        // z of |N(0,1)|, so P(lower <= X <= upper) = coverage whatever the skew.
        var z = NormalQuantile.Of(0.5 + (coverage / 2));
        Mode = prediction.Rul;
        ScaleBelow = (prediction.Rul - prediction.Lower) / z;
        ScaleAbove = (prediction.Upper - prediction.Rul) / z;
        var total = ScaleBelow + ScaleAbove;
        _weightBelow = total > 0 ? ScaleBelow / total : 0.5;
    }

    /// <summary>The predicted value, where the two halves meet.</summary>
    public double Mode { get; }

    /// <summary>The standard deviation of the half below the mode.</summary>
    public double ScaleBelow { get; }

    /// <summary>The standard deviation of the half above the mode.</summary>
    public double ScaleAbove { get; }

    /// <summary>A remaining life drawn from the distribution, at least 0.</summary>
    public double Sample(SimRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var below = random.NextDouble() < _weightBelow;
        var deviation = Math.Abs(random.Normal(0, 1));
        var life = below ? Mode - (ScaleBelow * deviation) : Mode + (ScaleAbove * deviation);
        return Math.Max(0, life);
    }
}
