using Doppel.Simulation;
using static Doppel.Tests.Simulation.Replications;

namespace Doppel.Tests.Simulation;

/// <summary>
/// A two-machine line with a finite buffer and unreliable machines (exponential processing, operation-dependent
/// failures, exponential repairs, blocking before service) against the throughput of its continuous-time Markov chain,
/// solved numerically here.
/// </summary>
public sealed class TwoMachineLineTests
{
    private const double Mu1 = 1.0, Mu2 = 1.1, P1 = 0.01, R1 = 0.1, P2 = 0.02, R2 = 0.15;
    private const int Capacity = 5;

    [Fact]
    public void Simulated_throughput_matches_the_Markov_chain()
    {
        var exact = TwoMachineMarkovChain.Throughput(Mu1, Mu2, P1, R1, P2, R2, Capacity);

        var estimate = Run(20, seed: 5, seed => [SimulatedThroughput(seed, horizon: 1_000_000, warmup: 20_000)]);

        AssertCovers(estimate[0], exact, 0.01, "throughput");
        // A sanity check of the chain itself: below the slower machine's isolated efficiency e = μ r / (r + p).
        Assert.True(exact < Math.Min(Mu1 * R1 / (R1 + P1), Mu2 * R2 / (R2 + P2)));
    }

    private static double SimulatedThroughput(ulong seed, double horizon, double warmup)
    {
        var sim = new Doppel.Simulation.Simulation(seed);
        var level = 0;
        long produced = 0;
        Event? upstreamWaits = null, downstreamWaits = null;
        void Wake(ref Event? waiting)
        {
            var e = waiting;
            waiting = null;
            e?.Succeed();
        }
        IEnumerable<Event> Upstream()
        {
            while (true)
            {
                while (level == Capacity)
                {
                    upstreamWaits = sim.Event();
                    yield return upstreamWaits; // blocked: the machine neither works nor fails
                }
                // Racing completion against failure is exact for exponential times, and a fresh draw after either is too.
                var done = sim.Random.Exponential(1 / Mu1);
                var fails = sim.Random.Exponential(1 / P1);
                if (fails < done)
                {
                    yield return sim.Timeout(fails);
                    yield return sim.Timeout(sim.Random.Exponential(1 / R1));
                    continue;
                }
                yield return sim.Timeout(done);
                level++;
                Wake(ref downstreamWaits);
            }
        }
        IEnumerable<Event> Downstream()
        {
            while (true)
            {
                while (level == 0)
                {
                    downstreamWaits = sim.Event();
                    yield return downstreamWaits; // starved
                }
                var done = sim.Random.Exponential(1 / Mu2);
                var fails = sim.Random.Exponential(1 / P2);
                if (fails < done)
                {
                    yield return sim.Timeout(fails);
                    yield return sim.Timeout(sim.Random.Exponential(1 / R2));
                    continue;
                }
                yield return sim.Timeout(done);
                level--;
                if (sim.Now >= warmup)
                {
                    produced++;
                }
                Wake(ref upstreamWaits);
            }
        }
        sim.Process(Upstream());
        sim.Process(Downstream());
        sim.Run(horizon);
        return produced / (horizon - warmup);
    }
}
