namespace Doppel.Packs.Mobility.Live;

/// <summary>What a road's detectors counted in a period: the vehicles over all its lanes and their mean speed (m/s; negative when unknown).</summary>
public readonly record struct RoadCount(int Vehicles, double Speed);
