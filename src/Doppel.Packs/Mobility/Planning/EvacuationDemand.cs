using Doppel.Packs.Mobility.Demand;

namespace Doppel.Packs.Mobility.Planning;

/// <summary>An evacuation's vehicles (<see cref="TrafficDemand"/>), the roads they start on, and the district's roads from which no destination can be reached.</summary>
public sealed record EvacuationDemand(TrafficDemand Demand, IReadOnlyList<string> Origins, IReadOnlyList<string> Unreachable);
