using Doppel.Packs.Mobility.Network;

namespace Doppel.Packs.Mobility.Simulation;

/// <summary>How a traffic run goes: SUMO's step length, seed, end and teleport time, plus detectors and frames to record.</summary>
public sealed record TrafficOptions
{
    /// <summary>Seconds per step; SUMO's default 1, and 0.5 is supported.</summary>
    public double StepLength { get; init; } = 1;

    /// <summary>The seed of every random draw (speed factors, dawdling); each vehicle has its own stream derived from it.</summary>
    public ulong Seed { get; init; } = 42;

    public double Begin { get; init; }

    /// <summary>When to stop; null runs until every vehicle has arrived (SUMO's default).</summary>
    public double? End { get; init; }

    /// <summary>Threads that update vehicles; the results are identical for any value.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>Seconds a vehicle may stand still before it is teleported (SUMO's <c>--time-to-teleport</c>); zero or less disables.</summary>
    public double TimeToTeleport { get; init; } = 300;

    /// <summary>Induction loops whose intervals the run records.</summary>
    public IReadOnlyList<InductionLoop> Detectors { get; init; } = [];

    /// <summary>When set, the run records a <see cref="TrafficFrame"/> every this many seconds.</summary>
    public double? FramePeriod { get; init; }
}
