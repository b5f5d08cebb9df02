namespace Doppel.Packs.Mobility.Simulation;

/// <summary>Lane changes made in a run, by LC2013's reason (SUMO's <c>--lanechange-output</c> reasons strategic, speedGain, keepRight).</summary>
public sealed record LaneChangeCounts(long Strategic, long SpeedGain, long KeepRight)
{
    public static LaneChangeCounts None { get; } = new(0, 0, 0);

    public long Total => Strategic + SpeedGain + KeepRight;
}
