using Doppel.Simulation;
using Doppel.Simulation.Samples;
using static Doppel.Tests.Simulation.Replications;

namespace Doppel.Tests.Simulation;

/// <summary>The discrete-event engine against queueing theory: each interval from independent replications must contain the exact value.</summary>
public sealed class QueueValidationTests
{
    [Fact]
    public void MM1_with_rho_0_9_matches_L_9_Lq_8_1_W_10_Wq_9()
    {
        // λ = 0.9, μ = 1. At ρ = 0.9 the queue is slow to forget, so long runs and a long warm-up.
        var estimates = Run(20, seed: 1, seed =>
        {
            var model = new QueueModel(new Doppel.Simulation.Simulation(seed), 1, r => r.Exponential(1 / 0.9), r => r.Exponential(1), customers: 400_000, warmup: 40_000).Run();
            return [model.InSystem.Mean, model.InQueue.Mean, model.Sojourn.Mean, model.Wait.Mean];
        });

        AssertCovers(estimates[0], 9, 0.05, "L");
        AssertCovers(estimates[1], 8.1, 0.05, "Lq");
        AssertCovers(estimates[2], 10, 0.05, "W");
        AssertCovers(estimates[3], 9, 0.05, "Wq");
    }

    [Fact]
    public void MMc_with_two_servers_matches_P0_Lq_and_W()
    {
        // c = 2, λ = 1.5, μ = 1: ρ = 0.75, P0 = 1/7, Lq = 1.928571, W = Lq/λ + 1/μ = 2.285714.
        var estimates = Run(20, seed: 2, seed =>
        {
            var model = new QueueModel(new Doppel.Simulation.Simulation(seed), 2, r => r.Exponential(1 / 1.5), r => r.Exponential(1), customers: 400_000, warmup: 20_000).Run();
            return [model.Empty.Mean, model.InQueue.Mean, model.Sojourn.Mean];
        });

        AssertCovers(estimates[0], 1.0 / 7, 0.05, "P0");
        AssertCovers(estimates[1], 1.928571, 0.05, "Lq");
        AssertCovers(estimates[2], 2.285714, 0.05, "W");
    }

    [Fact]
    public void MG1_with_uniform_service_matches_Pollaczek_Khinchine()
    {
        // λ = 0.8, S ~ U(0.5, 1.5): E[S] = 1, E[S²] = 1 + 1/12; Wq = λ E[S²] / (2 (1 − ρ)).
        const double lambda = 0.8, secondMoment = 1 + (1.0 / 12);
        var wq = lambda * secondMoment / (2 * (1 - lambda));
        var estimates = Run(20, seed: 3, seed =>
        {
            var model = new QueueModel(new Doppel.Simulation.Simulation(seed), 1, r => r.Exponential(1 / lambda), r => r.Uniform(0.5, 1.5), customers: 400_000, warmup: 20_000).Run();
            return [model.Wait.Mean, model.InQueue.Mean];
        });

        AssertCovers(estimates[0], wq, 0.05, "Wq");
        AssertCovers(estimates[1], lambda * wq, 0.05, "Lq (Little)");
    }

    [Fact]
    public void A_three_node_Jackson_network_matches_its_product_form()
    {
        // External arrivals at node 0 (rate 1); after node 0: to 1 (0.6) or 2 (0.4); after 1: back to 0 (0.2) or out; after 2: out.
        double[] mu = [2, 1, 1];
        double[,] routing = { { 0, 0.6, 0.4 }, { 0.2, 0, 0 }, { 0, 0, 0 } };
        // Traffic equations λ = γ + λP, solved by iteration (they converge: the routing is substochastic).
        var lambda = new double[3];
        for (var iteration = 0; iteration < 200; iteration++)
        {
            var next = new double[] { 1, 0, 0 };
            for (var i = 0; i < 3; i++)
            {
                for (var j = 0; j < 3; j++)
                {
                    next[j] += lambda[i] * routing[i, j];
                }
            }
            lambda = next;
        }
        var l = Enumerable.Range(0, 3).Select(i => lambda[i] / mu[i] / (1 - (lambda[i] / mu[i]))).ToArray();
        var sojourn = l.Sum() / 1.0; // Little, over the external arrival rate

        var estimates = Run(20, seed: 4, seed =>
        {
            var sim = new Doppel.Simulation.Simulation(seed);
            var nodes = mu.Select(_ => new Resource(sim)).ToArray();
            var occupancy = mu.Select(_ => new TimeWeightedMonitor(sim)).ToArray();
            var times = new SampleMonitor();
            IEnumerable<Event> Job(bool measured)
            {
                var start = sim.Now;
                var node = 0;
                while (node >= 0)
                {
                    occupancy[node].Increment();
                    using (var request = nodes[node].Request())
                    {
                        yield return request;
                        yield return sim.Timeout(sim.Random.Exponential(1 / mu[node]));
                    }
                    occupancy[node].Decrement();
                    var u = sim.Random.NextDouble();
                    var to = -1;
                    for (var j = 0; j < 3 && to < 0; j++)
                    {
                        u -= routing[node, j];
                        to = u < 0 ? j : -1;
                    }
                    node = to;
                }
                if (measured)
                {
                    times.Add(sim.Now - start);
                }
            }
            IEnumerable<Event> Arrivals()
            {
                for (var i = 0; i < 310_000; i++)
                {
                    if (i == 10_000)
                    {
                        Array.ForEach(occupancy, m => m.Reset());
                    }
                    sim.Process(Job(measured: i >= 10_000));
                    yield return sim.Timeout(sim.Random.Exponential(1));
                }
            }
            sim.Process(Arrivals());
            sim.Run();
            return [occupancy[0].Mean, occupancy[1].Mean, occupancy[2].Mean, times.Mean];
        });

        for (var i = 0; i < 3; i++)
        {
            AssertCovers(estimates[i], l[i], 0.05, $"L at node {i}");
        }
        AssertCovers(estimates[3], sojourn, 0.05, "sojourn time");
    }

    [Fact]
    public void The_same_seed_gives_the_same_run_bit_for_bit()
    {
        static double[] Run(ulong seed)
        {
            var model = new QueueModel(new Doppel.Simulation.Simulation(seed), 2, r => r.Exponential(0.7), r => r.LogNormal(0, 0.5), customers: 20_000).Run();
            return [model.Sojourn.Mean, model.Wait.Variance, model.InSystem.Mean, model.InQueue.Max];
        }

        Assert.Equal(Run(7).Select(BitConverter.DoubleToInt64Bits), Run(7).Select(BitConverter.DoubleToInt64Bits));
        Assert.NotEqual(Run(7)[0], Run(8)[0]);
    }
}
