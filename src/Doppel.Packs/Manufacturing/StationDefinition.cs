using Doppel.Simulation;

namespace Doppel.Packs.Manufacturing;

/// <summary>What a station's time to failure counts.</summary>
public enum FailureClock
{
    /// <summary>Operation-dependent: only working time wears the machine.</summary>
    Working,

    /// <summary>Time-dependent: the machine can fail while idle, starved, blocked or off shift.</summary>
    Calendar,
}

/// <summary>
/// One station of a line: its cycle time, its failures (time to failure counted in working time only, so a starved or
/// blocked machine does not wear), its repairs, the share of parts it scraps, and the ideal cycle time OEE compares with.
/// </summary>
public sealed record StationDefinition(string Name, Distribution CycleTime)
{
    /// <summary>Time between failures (working time, or calendar time per <see cref="FailureClock"/>); null for a machine that never fails.</summary>
    public Distribution? TimeToFailure { get; init; }

    /// <summary>Whether failures wear with use (working time, the default) or with age (calendar time, idle or not).</summary>
    public FailureClock FailureClock { get; init; }

    public Distribution? TimeToRepair { get; init; }

    /// <summary>The probability that a part leaves this station as scrap.</summary>
    public double ScrapRate { get; init; }

    /// <summary>The fastest possible cycle (OEE's performance reference); by default the mean cycle time.</summary>
    public double? IdealCycleTime { get; init; }

    /// <summary>The probability that a part must be worked again at this station (it is not first-pass good).</summary>
    public double ReworkRate { get; init; }

    /// <summary>A setup before every <see cref="SetupEvery"/> parts (a batch or product change); null for none.</summary>
    public Distribution? SetupTime { get; init; }

    public int SetupEvery { get; init; } = 1;

    /// <summary>Preventive maintenance after this much working time since the last maintenance or repair; it renews the machine.</summary>
    public double? MaintenanceInterval { get; init; }

    public Distribution? MaintenanceTime { get; init; }

    /// <summary>A temperature limit that stops the station to cool down; null for a machine that never overheats.</summary>
    public ThermalLimit? Thermal { get; init; }
}
