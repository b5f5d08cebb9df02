namespace Doppel.Simulation;

/// <summary>
/// A time-stepped agent (a vehicle, a pedestrian, a household): each step every agent first decides from the world as it
/// was, then all apply their decisions, so the outcome does not depend on the order agents are stepped in.
/// </summary>
public interface IAgent
{
    /// <summary>Reads the world (others' current state) and keeps what it will do; must not change shared state.</summary>
    void Decide(double now, double dt);

    /// <summary>Applies what was decided.</summary>
    void Apply(double now, double dt);
}
