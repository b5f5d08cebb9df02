namespace Doppel.Packs.Mobility.Live;

/// <summary>
/// A road as the link-flow model sees it: its size (for speeds), the share of its vehicles turning into each next road
/// (the rest end their trips on it) and the mean rate of trips that start on it.
/// </summary>
/// <param name="Id">The road's id (its twin id in a city).</param>
/// <param name="Lanes">Its lanes.</param>
/// <param name="Length">Its length (m).</param>
/// <param name="SpeedLimit">Its speed limit (m/s).</param>
/// <param name="Turns">Next road id → fraction of this road's vehicles that drive on into it (fractions sum to at most 1).</param>
/// <param name="Departures">The prior mean rate of trips starting on it (veh/h).</param>
public sealed record LinkFlowRoad(string Id, int Lanes, double Length, double SpeedLimit, IReadOnlyDictionary<string, double> Turns, double Departures);
