namespace Doppel.Packs.Mobility.Simulation;

/// <summary>The network at one moment: every vehicle on the road and every normal edge's state.</summary>
public sealed record TrafficFrame(double Time, IReadOnlyList<VehicleView> Vehicles, IReadOnlyList<EdgeView> Edges);
