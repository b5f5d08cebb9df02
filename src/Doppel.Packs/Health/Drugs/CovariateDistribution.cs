using Doppel.Simulation;

namespace Doppel.Packs.Health.Drugs;

/// <summary>The shape of a covariate's distribution in a virtual population.</summary>
public enum DistributionKind
{
    /// <summary>Normal(A = mean, B = standard deviation).</summary>
    Normal,

    /// <summary>Log-normal with median A and log-scale standard deviation B.</summary>
    LogNormal,

    /// <summary>Uniform on [A, B].</summary>
    Uniform,

    /// <summary>1 with probability A, else 0.</summary>
    Bernoulli,
}

/// <summary>How one covariate is drawn: a distribution, truncated to [Min, Max] by redrawing.</summary>
public sealed record CovariateDistribution(string Name, DistributionKind Kind, double A, double B = 0, double Min = double.NegativeInfinity, double Max = double.PositiveInfinity)
{
    public string? Problem() => Kind switch
    {
        _ when string.IsNullOrWhiteSpace(Name) => "a covariate needs a name",
        DistributionKind.Normal or DistributionKind.LogNormal when !(double.IsFinite(A) && double.IsFinite(B) && B >= 0) => $"'{Name}': the centre and spread must be finite, the spread 0 or more",
        DistributionKind.LogNormal when A <= 0 => $"'{Name}': a log-normal's median must be positive, got {A}",
        DistributionKind.Uniform when !(double.IsFinite(A) && double.IsFinite(B) && A <= B) => $"'{Name}': a uniform needs finite bounds with min ≤ max, got [{A}, {B}]",
        DistributionKind.Bernoulli when !(A is >= 0 and <= 1) => $"'{Name}': a probability must be in [0, 1], got {A}",
        _ when !(Min <= Max) => $"'{Name}': the truncation needs min ≤ max, got [{Min}, {Max}]",
        DistributionKind.Normal or DistributionKind.LogNormal or DistributionKind.Uniform when Max < (Kind == DistributionKind.Uniform ? A : double.NegativeInfinity) || Min > (Kind == DistributionKind.Uniform ? B : double.PositiveInfinity) => $"'{Name}': the truncation [{Min}, {Max}] leaves nothing to draw",
        _ => null,
    };

    /// <summary>A draw (redrawn up to 1000 times to fall within [Min, Max], then clamped).</summary>
    public double Sample(SimRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var x = 0.0;
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            x = Kind switch
            {
                DistributionKind.Normal => random.Normal(A, B),
                DistributionKind.LogNormal => A * Math.Exp(random.Normal(0, B)),
                DistributionKind.Uniform => random.Uniform(A, B),
                _ => random.NextDouble() < A ? 1 : 0,
            };
            if (x >= Min && x <= Max)
            {
                return x;
            }
        }
        return Math.Clamp(x, Min, Max);
    }
}
