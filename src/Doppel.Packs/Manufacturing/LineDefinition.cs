namespace Doppel.Packs.Manufacturing;

/// <summary>
/// A serial production line: stations in order, with a finite buffer between each pair (blocking after service: a
/// station holds a finished part until the next buffer has room). The first station is never starved, the last never blocked.
/// </summary>
public sealed record LineDefinition(IReadOnlyList<StationDefinition> Stations, IReadOnlyList<int> Buffers)
{
    /// <summary>Maintenance crews shared by all stations for repairs and preventive maintenance; null for a crew per station.</summary>
    public int? Crews { get; init; }

    /// <summary>When the line works; null for around the clock.</summary>
    public ShiftCalendar? Shifts { get; init; }

    /// <summary>What is wrong with the definition, one message each; empty when it can run.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Stations.Count == 0)
        {
            errors.Add("A line needs at least one station.");
        }
        if (Buffers.Count != Math.Max(Stations.Count - 1, 0))
        {
            errors.Add($"A line of {Stations.Count} stations has {Math.Max(Stations.Count - 1, 0)} buffers between them, not {Buffers.Count}.");
        }
        // The line model blocks a station until the next buffer has room, so a buffer must hold at least one part.
        errors.AddRange(Buffers.Select((b, i) => b < 1 ? $"Buffer {i + 1} must hold at least one part, not {b}." : null).OfType<string>());
        foreach (var station in Stations)
        {
            if (station.ScrapRate is < 0 or >= 1)
            {
                errors.Add($"Station '{station.Name}': the scrap rate must be in [0, 1), got {station.ScrapRate}.");
            }
            if (station.ScrapRate + station.ReworkRate >= 1 || station.ReworkRate < 0)
            {
                errors.Add($"Station '{station.Name}': the scrap and rework rates must be non-negative and add up to less than 1.");
            }
            if (station.SetupEvery < 1)
            {
                errors.Add($"Station '{station.Name}': setups come every 1 or more parts, not {station.SetupEvery}.");
            }
            if ((station.MaintenanceInterval is null) != (station.MaintenanceTime is null) || station.MaintenanceInterval <= 0)
            {
                errors.Add($"Station '{station.Name}': give a positive maintenance interval and a maintenance time, or neither.");
            }
            if (station.FailureClock == FailureClock.Calendar && station.MaintenanceInterval is not null)
            {
                errors.Add($"Station '{station.Name}': preventive maintenance renews wear counted in working time; it cannot be combined with calendar-time failures.");
            }
            if (station.Thermal?.Validate() is { } thermal)
            {
                errors.Add($"Station '{station.Name}': thermal limit: {thermal}.");
            }
            if (station.Thermal is not null && (Shifts is not null || station.FailureClock == FailureClock.Calendar))
            {
                // Both stop a working machine on the calendar's clock, which the cooling pauses would have to share.
                errors.Add($"Station '{station.Name}': a thermal limit cannot be combined with shift calendars or calendar-time failures.");
            }
            // A part that takes no time, or a machine that fails at once, makes events forever at one instant: a run would never end.
            if (!(station.CycleTime.Mean > 0))
            {
                errors.Add($"Station '{station.Name}': the cycle time must take some time on average, not {station.CycleTime}.");
            }
            if (station.TimeToFailure is { } failure && !(failure.Mean > 0))
            {
                errors.Add($"Station '{station.Name}': the time to failure must be positive on average, not {failure}.");
            }
            if ((station.TimeToFailure is null) != (station.TimeToRepair is null))
            {
                errors.Add($"Station '{station.Name}': give both a time to failure and a time to repair, or neither.");
            }
        }
        if (Shifts is not null)
        {
            errors.AddRange(Shifts.Validate());
        }
        if (Crews is < 1)
        {
            errors.Add($"A line needs at least one crew, not {Crews}.");
        }
        if (Stations.Select(s => s.Name).Distinct(StringComparer.Ordinal).Count() != Stations.Count)
        {
            errors.Add("Station names must be unique.");
        }
        return errors;
    }
}
