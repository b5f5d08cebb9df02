namespace Doppel.Simulation.Experiments;

/// <summary>The largest run a host takes: a server protects its cores, a local run has no limit.</summary>
public sealed record RunLimits(int MaxReplications, double MaxDuration)
{
    public static RunLimits None { get; } = new(int.MaxValue, double.MaxValue);
}
