using BenchmarkDotNet.Attributes;
using Doppel.Simulation.Samples;

namespace Doppel.Benchmarks.Simulation;

/// <summary>
/// The discrete-event engine single-threaded: M/M/1 (λ = 0.9, μ = 1) with 1,000,000 customers (5 events each) and the
/// machine shop over one year. Events per second = the returned count / Mean. `doppel bench des` prints the same with
/// SimPy beside it. Run: <c>dotnet run -c Release --project benchmarks/Doppel.Benchmarks -- --filter *DesBenchmarks* --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class DesBenchmarks
{
    [Benchmark]
    public long MM1_1M_customers()
    {
        var sim = new Doppel.Simulation.Simulation(seed: 1);
        new QueueModel(sim, 1, r => r.Exponential(1 / 0.9), r => r.Exponential(1), customers: 1_000_000).Run();
        return sim.ProcessedEvents;
    }

    [Benchmark]
    public long MachineShop_1_year()
    {
        var sim = new Doppel.Simulation.Simulation(seed: 1);
        new MachineShop(sim, new MachineShopOptions { Duration = 52 * 7 * 24 * 60 }).Run();
        return sim.ProcessedEvents;
    }
}
