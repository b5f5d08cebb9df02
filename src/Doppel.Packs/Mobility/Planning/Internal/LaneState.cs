namespace Doppel.Packs.Mobility.Planning.Internal;

/// <summary>A vehicle's place on a lane when a fork starts: the front bumper's distance from the lane's start, and its speed.</summary>
internal readonly record struct LanePlace(double Position, double Speed);

/// <summary>
/// The vehicles on one lane from the live estimate of its road, as a queue at the downstream end and free-flowing traffic
/// upstream of it. How many: the estimated density over the lane's length (Little's law, at most a jam's worth). Where:
/// a road driven slower than its free speed is a road whose vehicles spend part of their time standing, and on a city
/// street they stand at its downstream end (a signal, a junction, the back of a jam). A vehicle entering at rate λ =
/// k·v drives the free part at the free speed and stands the rest of the road's travel time, so by Little's law the
/// queue holds λ·(L/v − L_free/v_free) vehicles, L_free being the lane less the queue's own length; the rest drive
/// upstream at the free speed.
/// </summary>
internal static class LaneState
{
    /// <summary>The room a standing vehicle takes: SUMO's default passenger car (5 m) and its minimum gap (2.5 m).</summary>
    public const double JamSpacing = 7.5;

    /// <summary>How far before the lane's end the first standing vehicle's front stops.</summary>
    private const double StopLineGap = 0.5;

    /// <summary>The deceleration a driver plans with (SUMO's default passenger <c>decel</c>), for a speed it can still stop from.</summary>
    private const double ComfortableDecel = 4.5;

    /// <summary>The expected vehicles standing and moving on a lane of <paramref name="length"/> m whose road's estimate is <paramref name="density"/> veh/km a lane at <paramref name="meanSpeed"/> m/s.</summary>
    public static (double Queued, double Moving) Expected(double density, double? meanSpeed, double freeSpeed, double length)
    {
        var total = Math.Min(Math.Max(0, density) * length / 1000, Math.Floor(length / JamSpacing));
        var speed = Math.Clamp(meanSpeed ?? freeSpeed, 0, freeSpeed);
        if (total <= 0 || freeSpeed <= 0 || speed >= freeSpeed)
        {
            return (0, total);
        }
        if (speed <= 0)
        {
            return (total, 0);
        }
        var arrivals = Math.Max(0, density) * speed / 1000;
        var room = 1 - (arrivals * JamSpacing / freeSpeed);
        var queued = room <= 0 ? total : arrivals * ((length / speed) - (length / freeSpeed)) / room;
        queued = Math.Clamp(queued, 0, total);
        return (queued, total - queued);
    }

    /// <summary>
    /// Places <paramref name="queued"/> vehicles standing from the lane's end backwards at jam spacing and
    /// <paramref name="moving"/> evenly over the rest at the free speed, each slow enough to stop behind what is ahead.
    /// </summary>
    public static List<LanePlace> Place(int queued, int moving, double freeSpeed, double length)
    {
        var places = new List<LanePlace>(queued + moving);
        queued = Math.Min(queued, (int)Math.Floor(length / JamSpacing));
        for (var j = 0; j < queued; j++)
        {
            places.Add(new LanePlace(length - StopLineGap - (j * JamSpacing), 0));
        }
        // The free part ends where the queue's last vehicle's back is (less a gap), or at the lane's end.
        var free = queued > 0 ? length - StopLineGap - (queued * JamSpacing) : length;
        if (moving <= 0 || free <= 0)
        {
            return places;
        }
        for (var j = 0; j < moving; j++)
        {
            var position = free * (moving - j - 0.5) / moving;
            // Room to what is ahead: the queue's tail (or the lane's end, which may be a red light), else the mover in front.
            var ahead = (j == 0 ? free : (free * (moving - j + 0.5) / moving) - JamSpacing) - position;
            var speed = Math.Min(freeSpeed, Math.Sqrt(2 * ComfortableDecel * Math.Max(0, ahead)));
            places.Add(new LanePlace(position, speed));
        }
        return places;
    }
}
