namespace Doppel.Packs.Mobility.Simulation;

/// <summary>A vehicle in a frame: its lane and position on it, where that is in the network's metres, heading (degrees, SUMO's: 0 north, clockwise) and speed.</summary>
public readonly record struct VehicleView(string Id, string Lane, double Position, double X, double Y, double Angle, double Speed);
