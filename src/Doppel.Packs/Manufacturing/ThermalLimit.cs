namespace Doppel.Packs.Manufacturing;

/// <summary>
/// A machine that heats while it works and trips at a temperature limit: its temperature T follows
/// dT/dt = (ambient + rise·working − T) / timeConstant (Newton's law of cooling with a constant heat input while it
/// works), it stops when T reaches <see cref="TripAt"/>, cools, and starts again at <see cref="ResumeAt"/>, with the
/// part where it left off. A continuous state inside the line's discrete events: the kernel's ODE solver integrates it
/// between events and its zero crossings stop and restart the station.
/// </summary>
/// <param name="Ambient">Temperature of the room, where the machine starts and towards which it cools.</param>
/// <param name="Rise">How far above ambient it would settle if it worked without a break.</param>
/// <param name="TimeConstant">How fast it heats and cools (time to cover 63% of the way to where it settles).</param>
/// <param name="TripAt">The limit at which it stops.</param>
/// <param name="ResumeAt">The temperature at which it starts again, below the limit and above ambient.</param>
public sealed record ThermalLimit(double Ambient, double Rise, double TimeConstant, double TripAt, double ResumeAt)
{
    /// <summary>
    /// The shortest heating from <see cref="ResumeAt"/> to <see cref="TripAt"/> the solver is asked to resolve, in time
    /// constants: below it the step the solver needs underflows what a double can tell apart from the current time.
    /// </summary>
    private const double ShortestHeating = 1e-9;

    /// <summary>What is wrong, or null.</summary>
    public string? Validate() =>
        !(Rise > 0) || !(TimeConstant > 0) ? "the rise and the time constant must be positive"
        : !(Ambient < ResumeAt && ResumeAt < TripAt) ? $"need ambient ({Ambient}) < resumeAt ({ResumeAt}) < tripAt ({TripAt})"
        // Heating from resumeAt to tripAt takes about timeConstant·(tripAt − resumeAt)/(ambient + rise − resumeAt).
        : !((TripAt - ResumeAt) / (Ambient + Rise - ResumeAt) >= ShortestHeating)
            ? $"a rise of {Rise} heats the machine from resumeAt ({ResumeAt}) to tripAt ({TripAt}) in under {ShortestHeating} time constants, too fast to simulate: lower the rise or widen the band"
        : null;
}
