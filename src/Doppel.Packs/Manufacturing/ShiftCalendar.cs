namespace Doppel.Packs.Manufacturing;

/// <summary>
/// When a line works: shifts that repeat every <see cref="Period"/> (a day, a week), each a [start, end) within it.
/// Outside shifts the stations stop, mid-part if need be, and resume at the next shift; that time is not planned time.
/// </summary>
public sealed record ShiftCalendar(double Period, IReadOnlyList<(double Start, double End)> Shifts)
{
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!(Period > 0))
        {
            errors.Add($"The shift period must be positive, not {Period}.");
            return errors;
        }
        if (Shifts.Count == 0)
        {
            errors.Add("A calendar needs at least one shift.");
        }
        var ordered = Shifts.OrderBy(s => s.Start).ToList();
        for (var i = 0; i < ordered.Count; i++)
        {
            var (start, end) = ordered[i];
            if (start < 0 || end > Period || end <= start)
            {
                errors.Add($"Shift [{start}, {end}) must lie within [0, {Period}) and end after it starts.");
            }
            if (i > 0 && start < ordered[i - 1].End)
            {
                errors.Add($"Shifts [{ordered[i - 1].Start}, {ordered[i - 1].End}) and [{start}, {end}) overlap.");
            }
        }
        return errors;
    }

    /// <summary>At time <paramref name="t"/>: whether a shift is on, and how long until that changes.</summary>
    public (bool Working, double Until) At(double t)
    {
        var cycle = Math.Floor(t / Period);
        var offset = t - (cycle * Period);
        foreach (var (start, end) in Shifts.OrderBy(s => s.Start))
        {
            if (offset < start)
            {
                return (false, start - offset);
            }
            if (offset < end)
            {
                return (true, end - offset);
            }
        }
        // After the last shift of this period: off until the first shift of the next.
        return (false, Period - offset + Shifts.Min(s => s.Start));
    }

    /// <summary>How much of [<paramref name="from"/>, <paramref name="to"/>) falls within shifts.</summary>
    public double WorkingTimeBetween(double from, double to)
    {
        var working = 0.0;
        while (from < to)
        {
            var (on, until) = At(from);
            var step = Math.Min(until, to - from);
            if (on)
            {
                working += step;
            }
            from += step;
        }
        return working;
    }

    /// <summary>The working share of the period.</summary>
    public double WorkingShare => Shifts.Sum(s => s.End - s.Start) / Period;
}
