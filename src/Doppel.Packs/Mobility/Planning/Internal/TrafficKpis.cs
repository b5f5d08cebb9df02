using Doppel.Packs.Mobility.Simulation;

namespace Doppel.Packs.Mobility.Planning.Internal;

/// <summary>
/// A run's KPIs: mean travel time, delay (SUMO's timeLoss), waiting and depart delay of the trips that ended; the mean
/// and longest queue (halting vehicles in the network, on one road); the throughput; and, because a run that ends at
/// its horizon leaves some trips unfinished (and a jam must not look better by hiding them), the vehicles still in or
/// waiting to enter the network and the vehicle-hours spent by all of them.
/// </summary>
internal static class TrafficKpis
{
    public const string TravelTime = "travelTime";
    public const string Delay = "delay";
    public const string WaitingTime = "waitingTime";
    public const string DepartDelay = "departDelay";
    public const string Queue = "queue";
    public const string LongestQueue = "longestQueue";
    public const string Throughput = "throughput";
    public const string Unfinished = "unfinished";
    public const string VehicleHours = "vehicleHours";
    public const string ClearanceTime = "clearanceTime";
    public const string Evacuated = "evacuated";

    /// <summary>The KPIs of <paramref name="result"/> over [<paramref name="warmup"/>, <paramref name="end"/>] (s): trips that departed after the warm-up, queues and flows within it.</summary>
    public static Dictionary<string, double> Measure(TrafficResult result, double warmup, double end)
    {
        var trips = result.Trips.Where(t => t.Depart >= warmup).ToList();
        var kpis = new Dictionary<string, double>
        {
            [TravelTime] = Mean(trips, t => t.Duration),
            [Delay] = Mean(trips, t => t.TimeLoss),
            [WaitingTime] = Mean(trips, t => t.WaitingTime),
            [DepartDelay] = Mean(trips, t => t.DepartDelay),
        };
        // Time averages over the summary's steps: each step's value holds until the next.
        double halting = 0, running = 0, span = 0;
        var steps = result.Summary;
        for (var i = 0; i < steps.Count; i++)
        {
            var from = Math.Max(steps[i].Time, warmup);
            var to = Math.Min(i + 1 < steps.Count ? steps[i + 1].Time : end, end);
            if (to > from)
            {
                halting += steps[i].Halting * (to - from);
                running += (steps[i].Running + steps[i].Waiting) * (to - from);
                span += to - from;
            }
        }
        kpis[Queue] = span > 0 ? halting / span : double.NaN;
        kpis[VehicleHours] = running / 3600;
        var longest = 0;
        foreach (var frame in result.Frames)
        {
            if (frame.Time < warmup)
            {
                continue;
            }
            foreach (var edge in frame.Edges)
            {
                longest = Math.Max(longest, edge.Halting);
            }
        }
        kpis[LongestQueue] = longest;
        var window = end - warmup;
        kpis[Throughput] = window > 0 ? result.Trips.Count(t => t.Arrival >= warmup && t.Arrival <= end) * 3600 / window : double.NaN;
        kpis[Unfinished] = steps.Count > 0 ? steps[^1].Running + steps[^1].Waiting : 0;
        return kpis;
    }

    private static double Mean(List<TripInfo> trips, Func<TripInfo, double> value) => trips.Count == 0 ? double.NaN : trips.Average(value);
}
