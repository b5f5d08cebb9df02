using BenchmarkDotNet.Attributes;
using Doppel.Packs.Mobility.Demand;
using Doppel.Packs.Mobility.Network;
using Doppel.Packs.Mobility.Simulation;

namespace Doppel.Benchmarks.Mobility;

/// <summary>
/// The traffic simulator on SUMO's 10 x 10 signalised grid (5,000 vehicles in an hour, routes from duarouter), one and
/// two threads. Vehicle updates per second are printed at cleanup (SUMO does 112,000–180,000 here). The scenario is read
/// from <c>$DOPPEL_DATA/sumo</c> (default: the first <c>shared/data</c> folder above the working directory). Run:
/// <c>dotnet run -c Release --project benchmarks/Doppel.Benchmarks -- --filter *Traffic* --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class TrafficBenchmarks
{
    private RoadNetwork _network = null!;
    private TrafficDemand _demand = null!;
    private long _updates;
    private TimeSpan _elapsed;

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var folder = Path.Combine(DataFolder(), "sumo");
        _network = SumoNetworkReader.Read(Path.Combine(folder, "grid10x10.net.xml")).Value!;
        _demand = SumoDemandReader.Read(_network, [Path.Combine(folder, "routes_5000.rou.xml")]).Value!;
    }

    [Benchmark]
    public int Grid10x10With5000Vehicles()
    {
        var result = new TrafficSimulation(_network, _demand, new TrafficOptions { Threads = Threads }).Run();
        _updates = result.VehicleUpdates;
        _elapsed = result.Elapsed;
        return result.Trips.Count;
    }

    [GlobalCleanup]
    public void Cleanup() => Console.WriteLine($"// traffic: {_updates} vehicle updates in {_elapsed.TotalSeconds:0.000} s = {_updates / _elapsed.TotalSeconds:0} per second with {Threads} thread(s)");

    private static string DataFolder()
    {
        if (Environment.GetEnvironmentVariable("DOPPEL_DATA") is { Length: > 0 } data)
        {
            return data;
        }
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException("No shared/data folder above the working directory; set DOPPEL_DATA to the folder that holds sumo/grid10x10.net.xml.");
    }
}
