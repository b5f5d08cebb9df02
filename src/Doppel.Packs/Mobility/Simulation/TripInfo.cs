namespace Doppel.Packs.Mobility.Simulation;

/// <summary>One arrived vehicle's trip with SUMO's <c>tripinfo</c> fields (seconds and metres).</summary>
public sealed record TripInfo(string Id, string TypeId, double Depart, double DepartDelay, double Arrival, double Duration,
    double RouteLength, double WaitingTime, int WaitingCount, double TimeLoss, string DepartLane, string ArrivalLane)
{
    /// <summary>Where on its first lane the vehicle was inserted (m; SUMO's <c>departPos</c>).</summary>
    public double DepartPos { get; init; }

    /// <summary>Its speed when inserted (m/s).</summary>
    public double DepartSpeed { get; init; }

    /// <summary>Where on its last lane it arrived (m).</summary>
    public double ArrivalPos { get; init; }

    /// <summary>Its speed when it arrived (m/s).</summary>
    public double ArrivalSpeed { get; init; }

    /// <summary>Its speed factor (its desired speed over the lane's limit).</summary>
    public double SpeedFactor { get; init; } = 1;

    /// <summary>How often it was rerouted (a closed road).</summary>
    public int RerouteCount { get; init; }
}
