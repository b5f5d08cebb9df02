using System.IO.Compression;
using System.Text;
using Doppel.Packs.Mobility.Live;
using Doppel.Simulation;

namespace Doppel.Tests.Mobility.Live;

/// <summary>The link-flow model against its closed form, the estimator on a chain of roads with Poisson counts, and their bad input.</summary>
public sealed class LinkFlowTests
{
    // a → b → c: half of a's vehicles drive on to b, half of b's to c; trips start on a (100 veh/h) and b (40 veh/h).
    private static readonly LinkFlowRoad[] Chain =
    [
        new("a", 1, 200, 13.89, new Dictionary<string, double> { ["b"] = 0.5 }, 100),
        new("b", 2, 200, 13.89, new Dictionary<string, double> { ["c"] = 0.5 }, 40),
        new("c", 1, 200, 13.89, new Dictionary<string, double>(), 0),
    ];

    [Fact]
    public void Flows_are_departures_plus_the_turning_shares_of_upstream_flows()
    {
        var model = LinkFlowModel.Create(Chain).Value!;

        var flows = model.Flows([100, 40, 0]);

        // q_a = 100, q_b = 40 + 0.5 · 100 = 90, q_c = 0.5 · 90 = 45
        Assert.Equal([100, 90, 45], flows.Select(f => Math.Round(f, 9)));
    }

    [Theory]
    [InlineData("x", 0.5, "road 'a' turns into 'x', which is not a road of the network")]
    [InlineData("b", 1.5, "road 'a' turns into 'b' with fraction 1.5; a fraction is between 0 and 1")]
    public void A_turn_that_does_not_fit_is_refused_with_the_road(string next, double fraction, string message)
    {
        var roads = Chain.ToArray();
        roads[0] = roads[0] with { Turns = new Dictionary<string, double> { [next] = fraction } };

        var model = LinkFlowModel.Create(roads);

        Assert.Equal($"The link-flow model cannot be built: {message}.", model.Error!.Message);
    }

    [Fact]
    public void Turns_that_keep_vehicles_circling_for_ever_are_refused()
    {
        var loop = new[]
        {
            new LinkFlowRoad("a", 1, 100, 10, new Dictionary<string, double> { ["b"] = 1 }, 10),
            new LinkFlowRoad("b", 1, 100, 10, new Dictionary<string, double> { ["a"] = 1 }, 0),
        };

        Assert.Contains("some vehicles never leave", LinkFlowModel.Create(loop).Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Counts_on_one_road_give_the_roads_downstream_within_ten_percent_with_intervals_that_hold_them()
    {
        // Given a day whose departures run at 1.6 times the prior, counted on a only, in 5-minute periods
        var model = LinkFlowModel.Create(Chain).Value!;
        var estimator = new LinkFlowEstimator(model, ["a"], new LinkFlowOptions { Seed = 3 });
        var random = new SimRandom(7);
        var estimated = new double[3];
        var actual = new double[3];
        int inside = 0, judged = 0;

        // When four hours of counts are assimilated
        for (var k = 1; k <= 48; k++)
        {
            // Vehicles, not rates: trips start on a and b (Poisson), each vehicle of a turns into b with probability ½, each of b into c.
            var onA = Poisson(random, 160 * 300 / 3600.0);
            var onB = Poisson(random, 64 * 300 / 3600.0) + Turning(random, onA, 0.5);
            int[] counts = [onA, onB, Turning(random, onB, 0.5)];
            var flows = estimator.Assimilate(k * 300, 300, new Dictionary<string, RoadCount> { ["a"] = new(counts[0], -1) });
            if (k > 12)
            {
                for (var i = 0; i < 3; i++)
                {
                    estimated[i] += flows[i].Flow * 300 / 3600;
                    actual[i] += counts[i];
                    judged++;
                    inside += counts[i] * 12 >= flows[i].Lower && counts[i] * 12 <= flows[i].Upper ? 1 : 0;
                }
            }
        }

        // Then the last three hours' volumes of every road are within ±10% of what drove there, and the 90% intervals held most counts
        for (var i = 0; i < 3; i++)
        {
            Assert.True(Math.Abs(estimated[i] - actual[i]) <= 0.1 * actual[i], $"road {i}: {estimated[i]:F0} estimated, {actual[i]} drove");
        }
        Assert.InRange(inside / (double)judged, 0.8, 1);
        Assert.Equal(48 * 300, estimator.Time);
    }

    [Fact]
    public void Periods_out_of_order_and_unknown_observed_roads_are_refused()
    {
        var model = LinkFlowModel.Create(Chain).Value!;
        Assert.Throws<ArgumentException>(() => new LinkFlowEstimator(model, ["z"]));
        var estimator = new LinkFlowEstimator(model, ["a"]);
        estimator.Assimilate(600, 300, new Dictionary<string, RoadCount>());

        Assert.Throws<ArgumentOutOfRangeException>(() => estimator.Assimilate(600, 300, new Dictionary<string, RoadCount>()));
    }

    [Fact]
    public void The_anscombe_mean_is_exact_at_zero_and_within_a_hundredth_of_the_Poisson_mean_of_the_root_beyond()
    {
        Assert.Equal(2 * Math.Sqrt(0.375), LinkFlowEstimator.Anscombe(0), 12);
        // Exact means of 2√(n + 3/8) for Poisson n, summed over its distribution.
        Assert.InRange(LinkFlowEstimator.Anscombe(50), 14.1598 - 0.01, 14.1598 + 0.01);
        Assert.InRange(LinkFlowEstimator.Anscombe(13.3), 7.3280 - 0.01, 7.3280 + 0.01);
        Assert.InRange(LinkFlowEstimator.Anscombe(1), 2.1869 - 0.01, 2.1869 + 0.01);
    }

    [Fact]
    public void A_signal_clock_shows_the_phase_of_its_cycle_from_the_offset()
    {
        var clock = SignalClock.Parse("<tlLogic id=\"B1\" type=\"static\" programID=\"0\" offset=\"10\"><phase duration=\"30\" state=\"GGrr\"/><phase duration=\"5\" state=\"yyrr\"/><phase duration=\"25\" state=\"rrGG\"/></tlLogic>").Value!;

        Assert.Equal(60, clock.Cycle);
        Assert.Equal((2, "rrGG"), clock.At(5));
        Assert.Equal((0, "GGrr"), clock.At(10));
        Assert.Equal((1, "yyrr"), clock.At(42));
        Assert.Equal((0, "GGrr"), clock.At(3610));
        Assert.Contains("no phases", SignalClock.Parse("<tlLogic id=\"x\"/>").Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SUMO_e1_output_is_read_plain_or_gzipped_and_a_bad_line_is_named()
    {
        const string xml = "<detector>\n  <interval begin=\"0.00\" end=\"300.00\" id=\"d1\" nVehContrib=\"7\" flow=\"84.00\" occupancy=\"2.5\" speed=\"11.2\" length=\"5\"/>\n  <interval begin=\"300.00\" end=\"600.00\" id=\"d1\" nVehContrib=\"0\" flow=\"0\" occupancy=\"0\" speed=\"-1\"/>\n</detector>\n";
        using var gzipped = new MemoryStream();
        using (var gzip = new GZipStream(gzipped, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(xml));
        }
        gzipped.Position = 0;

        var plain = DetectorRecording.Read(new MemoryStream(Encoding.UTF8.GetBytes(xml)), "det.xml").Value!;
        var unzipped = DetectorRecording.Read(gzipped, "det.xml.gz").Value!;
        var broken = DetectorRecording.Read(new MemoryStream(Encoding.UTF8.GetBytes(xml.Replace("end=\"600.00\"", "end=\"0\"", StringComparison.Ordinal))), "det.xml");

        Assert.Equal(new DetectorReading("d1", 0, 300, 7, 84, 2.5, 11.2), plain.Readings[0]);
        Assert.Equal(plain.Readings, unzipped.Readings);
        Assert.Equal([300.0, 600.0], plain.Periods().Select(p => p.Key));
        Assert.Equal("det.xml, line 3: detector 'd1' has end 0 not after begin 300 or a count 0 that is not a whole number ≥ 0", broken.Error!.Message);
    }

    private static int Turning(SimRandom random, int vehicles, double share)
    {
        var turning = 0;
        for (var i = 0; i < vehicles; i++)
        {
            turning += random.NextDouble() < share ? 1 : 0;
        }
        return turning;
    }

    private static int Poisson(SimRandom random, double mean)
    {
        // Knuth's method: fine for the small means of 5-minute counts.
        var limit = Math.Exp(-mean);
        var product = random.NextDouble();
        var count = 0;
        while (product > limit)
        {
            product *= random.NextDouble();
            count++;
        }
        return count;
    }
}
