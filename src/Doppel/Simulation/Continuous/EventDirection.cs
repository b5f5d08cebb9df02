namespace Doppel.Simulation.Continuous;

/// <summary>Which sign changes of an event function count as events.</summary>
public enum EventDirection
{
    /// <summary>Both rising and falling crossings.</summary>
    Both,

    /// <summary>Only crossings from negative to zero or positive.</summary>
    Rising,

    /// <summary>Only crossings from positive to zero or negative.</summary>
    Falling,
}
