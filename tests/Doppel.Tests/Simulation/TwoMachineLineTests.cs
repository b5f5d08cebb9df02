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
        var exact = MarkovThroughput();

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

    /// <summary>States (n, up1, up2); solves πQ = 0 with Σπ = 1 by Gaussian elimination, then throughput = Σ π μ2 [up2, n > 0].</summary>
    private static double MarkovThroughput()
    {
        static int Index(int n, int up1, int up2) => (n * 4) + (up1 * 2) + up2;
        const int states = (Capacity + 1) * 4;
        var q = new double[states, states];
        void Rate(int from, int to, double rate)
        {
            q[from, to] += rate;
            q[from, from] -= rate;
        }
        for (var n = 0; n <= Capacity; n++)
        {
            for (var up1 = 0; up1 < 2; up1++)
            {
                for (var up2 = 0; up2 < 2; up2++)
                {
                    var s = Index(n, up1, up2);
                    if (up1 == 1 && n < Capacity)
                    {
                        Rate(s, Index(n + 1, up1, up2), Mu1);
                        Rate(s, Index(n, 0, up2), P1);
                    }
                    if (up1 == 0)
                    {
                        Rate(s, Index(n, 1, up2), R1);
                    }
                    if (up2 == 1 && n > 0)
                    {
                        Rate(s, Index(n - 1, up1, up2), Mu2);
                        Rate(s, Index(n, up1, 0), P2);
                    }
                    if (up2 == 0)
                    {
                        Rate(s, Index(n, up1, 1), R2);
                    }
                }
            }
        }
        // Solve A x = b with A = Qᵀ, its last row replaced by the normalisation Σπ = 1.
        var a = new double[states, states + 1];
        for (var i = 0; i < states; i++)
        {
            for (var j = 0; j < states; j++)
            {
                a[i, j] = i == states - 1 ? 1 : q[j, i];
            }
            a[i, states] = i == states - 1 ? 1 : 0;
        }
        for (var col = 0; col < states; col++)
        {
            var pivot = col;
            for (var row = col + 1; row < states; row++)
            {
                if (Math.Abs(a[row, col]) > Math.Abs(a[pivot, col]))
                {
                    pivot = row;
                }
            }
            for (var k = 0; k <= states; k++)
            {
                (a[col, k], a[pivot, k]) = (a[pivot, k], a[col, k]);
            }
            for (var row = 0; row < states; row++)
            {
                if (row != col && a[row, col] != 0)
                {
                    var factor = a[row, col] / a[col, col];
                    for (var k = col; k <= states; k++)
                    {
                        a[row, k] -= factor * a[col, k];
                    }
                }
            }
        }
        var throughput = 0.0;
        for (var n = 1; n <= Capacity; n++)
        {
            for (var up1 = 0; up1 < 2; up1++)
            {
                var s = Index(n, up1, 1);
                throughput += a[s, states] / a[s, s] * Mu2;
            }
        }
        return throughput;
    }
}
