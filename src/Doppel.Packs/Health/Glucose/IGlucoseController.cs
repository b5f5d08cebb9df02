namespace Doppel.Packs.Health.Glucose;

/// <summary>A glucose controller: decides the insulin of each sensor step from what it observes.</summary>
public interface IGlucoseController
{
    /// <summary>A short name for tables (e.g. <c>basal-bolus</c>).</summary>
    string Name { get; }

    /// <summary>The insulin for the step starting at <see cref="ControllerObservation.Time"/>.</summary>
    ControllerAction Decide(ControllerObservation observation);

    /// <summary>Forgets any state, before a new simulation.</summary>
    void Reset();
}
