using BenchmarkDotNet.Attributes;
using Doppel.Packs.Manufacturing;
using Doppel.Simulation;
using Doppel.Simulation.Samples;

namespace Doppel.Benchmarks.Simulation;

/// <summary>
/// The discrete-event engine single-threaded: M/M/1 (λ = 0.9, μ = 1) with 1,000,000 customers (5 events each) and the
/// machine shop over one year, and the manufacturing pack's line (3 stations, 2 buffers, one failing station) over 200,000
/// minutes, whose only allocation per part is the part itself (about 24 B; MemoryDiagnoser's Allocated / 165,833 parts).
/// Events per second = the returned count / Mean. `doppel bench des` prints the same with
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

    private static readonly LineDefinition Line = new(
    [
        new StationDefinition("a", Distribution.Parse("normal(1.0, 0.1)").Value!),
        new StationDefinition("b", Distribution.Parse("normal(1.1, 0.1)").Value!) { TimeToFailure = Distribution.Exponential(180), TimeToRepair = Distribution.Exponential(15) },
        new StationDefinition("c", Distribution.Exponential(0.9)),
    ], [5, 5]);

    [Benchmark]
    public long ProductionLine_200k_minutes()
    {
        var sim = new Doppel.Simulation.Simulation(seed: 1);
        new ProductionLine(sim, Line).Run(200_000);
        return sim.ProcessedEvents;
    }
}
