namespace Doppel.Packs.Mobility.Simulation;

/// <summary>One arrived vehicle's trip with SUMO's <c>tripinfo</c> fields (seconds and metres).</summary>
public sealed record TripInfo(string Id, string TypeId, double Depart, double DepartDelay, double Arrival, double Duration,
    double RouteLength, double WaitingTime, int WaitingCount, double TimeLoss, string DepartLane, string ArrivalLane);
