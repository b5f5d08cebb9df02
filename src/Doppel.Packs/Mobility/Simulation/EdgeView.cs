namespace Doppel.Packs.Mobility.Simulation;

/// <summary>A normal edge in a frame: vehicles on it, their mean speed (the lane speed limit when empty) and how many halt (below 0.1 m/s).</summary>
public readonly record struct EdgeView(string Edge, int Vehicles, double MeanSpeed, int Halting);
