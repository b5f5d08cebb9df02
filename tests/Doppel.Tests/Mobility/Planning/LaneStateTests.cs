using Doppel.Packs.Mobility.Planning.Internal;

namespace Doppel.Tests.Mobility.Planning;

/// <summary>The vehicles a fork puts on a lane from its road's estimate: how many (Little's law), how many of them stand at the downstream end (the time the speed says they lose), and where.</summary>
public sealed class LaneStateTests
{
    private const double Free = 13.89;
    private const double Length = 400;

    [Fact]
    public void A_road_at_free_speed_has_no_queue_and_its_density_over_the_lane()
    {
        var (queued, moving) = LaneState.Expected(density: 20, meanSpeed: Free, Free, Length);

        Assert.Equal(0, queued);
        Assert.Equal(8, moving, 9);
    }

    [Fact]
    public void A_slow_road_has_the_vehicles_that_lose_the_speeds_time_standing_at_its_end()
    {
        // 20 veh/km at 5 m/s: 0.1 veh/s enter; a vehicle takes 80 s, of which the free part at 13.89 m/s and the rest standing
        var (queued, moving) = LaneState.Expected(density: 20, meanSpeed: 5, Free, Length);

        Assert.Equal(8, queued + moving, 9);
        // Little's law for the queue: arrivals × time standing, the free part being the lane less the queue
        var standing = (Length / 5) - ((Length - (queued * LaneState.JamSpacing)) / Free);
        Assert.Equal(0.1 * standing, queued, 9);
        Assert.InRange(queued, 5, 6);
        // Slower still, more of them stand; at a standstill all of them, and never more than a jam holds
        Assert.True(LaneState.Expected(20, 2, Free, Length).Queued > queued);
        Assert.Equal((8, 0), LaneState.Expected(20, 0, Free, Length));
        Assert.Equal((Math.Floor(Length / LaneState.JamSpacing), 0), LaneState.Expected(1000, 0, Free, Length));
    }

    [Fact]
    public void The_queue_stands_from_the_lanes_end_and_the_movers_drive_upstream_of_it_able_to_stop()
    {
        var places = LaneState.Place(queued: 4, moving: 3, Free, Length);

        Assert.Equal(7, places.Count);
        var queue = places.Take(4).ToList();
        Assert.All(queue, p => Assert.Equal(0, p.Speed));
        Assert.Equal(Length - 0.5, queue[0].Position);
        Assert.All(queue.Zip(queue.Skip(1)), pair => Assert.Equal(LaneState.JamSpacing, pair.First.Position - pair.Second.Position, 9));
        var movers = places.Skip(4).ToList();
        var tail = queue[^1].Position - 5;
        Assert.All(movers, p => Assert.True(p.Position < tail - 2.5 && p.Speed is > 0 and <= Free, $"{p}"));
        // Each mover can stop with 4.5 m/s² before the vehicle ahead of it (the queue's tail for the first)
        var ahead = new[] { tail - 2.5 }.Concat(movers.Select(m => m.Position - 7.5)).ToList();
        for (var i = 0; i < movers.Count; i++)
        {
            Assert.True(movers[i].Speed * movers[i].Speed / (2 * 4.5) <= ahead[i] - movers[i].Position + 1e-9, $"mover {i}: {movers[i]} behind {ahead[i]}");
        }
    }
}
