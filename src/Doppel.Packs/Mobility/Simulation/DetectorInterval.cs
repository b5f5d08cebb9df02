namespace Doppel.Packs.Mobility.Simulation;

/// <summary>
/// One induction loop's interval with SUMO's e1 fields: vehicles that passed (nVehContrib), flow in veh/h, occupancy in
/// percent of the interval, and their mean speed in m/s (-1 when none passed).
/// </summary>
public sealed record DetectorInterval(string Detector, double Begin, double End, int Vehicles, double Flow, double Occupancy, double MeanSpeed);
