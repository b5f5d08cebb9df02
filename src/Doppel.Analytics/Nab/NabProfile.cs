namespace Doppel.Analytics.Nab;

/// <summary>
/// One of NAB's application profiles (<c>config/profiles.json</c>): the weights of a detection inside a window, a false
/// alarm and a missed window. NAB never uses the true-negative weight.
/// </summary>
public sealed record NabProfile(string Name, double TruePositive, double FalsePositive, double FalseNegative)
{
    public static NabProfile Standard { get; } = new("standard", 1.0, 0.11, 1.0);

    public static NabProfile RewardLowFalsePositives { get; } = new("reward_low_FP_rate", 1.0, 0.22, 1.0);

    public static NabProfile RewardLowFalseNegatives { get; } = new("reward_low_FN_rate", 1.0, 0.11, 2.0);

    /// <summary>The three profiles, in NAB's table order.</summary>
    public static IReadOnlyList<NabProfile> All { get; } = [Standard, RewardLowFalsePositives, RewardLowFalseNegatives];

    /// <summary>The profile with NAB's name, or null.</summary>
    public static NabProfile? Find(string name) => All.FirstOrDefault(p => p.Name == name);
}
