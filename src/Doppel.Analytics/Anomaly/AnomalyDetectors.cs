namespace Doppel.Analytics.Anomaly;

/// <summary>The detectors Doppel ships, by name: one configuration for every series.</summary>
public static class AnomalyDetectors
{
    private static readonly Dictionary<string, Func<int, IAnomalyDetector>> Factories = new(StringComparer.Ordinal)
    {
        ["ewma"] = _ => new EwmaDetector(),
        ["mad"] = _ => new MedianMadDetector(),
        ["seasonal"] = _ => new SeasonalDetector(),
        ["entropy"] = _ => new EntropyDetector(),
        ["novelty"] = _ => new NoveltyDetector(),
        ["ensemble"] = _ => new EnsembleDetector(),
    };

    /// <summary>The names: the baselines, then the stronger ones.</summary>
    public static IReadOnlyList<string> Names { get; } = ["ewma", "mad", "seasonal", "entropy", "novelty", "ensemble"];

    /// <summary>The best detector Doppel ships (by its NAB score).</summary>
    public static string Default => "ensemble";

    /// <summary>A new detector for one series; an unknown name is an error listing the known ones.</summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <param name="seed">Seeds any randomness a detector uses (the shipped ones use none: they are deterministic).</param>
    public static Result<IAnomalyDetector> Create(string name, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Factories.TryGetValue(name, out var create)
            ? Result<IAnomalyDetector>.Ok(create(seed))
            : Result<IAnomalyDetector>.Fail("UnknownDetector", $"There is no detector '{name}'{(NearestName.Find(name, Names) is { } near ? $" (did you mean '{near}'?)" : "")}; the detectors are {string.Join(", ", Names)}.");
    }
}
