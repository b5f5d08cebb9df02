using System.Globalization;
using System.Text.Json;
using Doppel.Packs.Mobility.Demand;
using Doppel.Packs.Mobility.Network;
using Doppel.Packs.Mobility.Output;
using Doppel.Packs.Mobility.Simulation;

namespace Doppel.Packs.Mobility;

/// <summary><c>doppel traffic run</c>: SUMO's network and demand simulated, with SUMO-like statistics and outputs.</summary>
public sealed partial class MobilityPack
{
    /// <summary>The city sample's network and day of trips, carried in the assembly so that a fresh clone can run it.</summary>
    private const string SampleNetwork = "city.net.xml";

    private const string SampleTrips = "city.trips.xml";

    partial void AddSimulationVerbs(List<PackVerb> verbs) => verbs.Add(new PackVerb("run", "Simulate a SUMO network with its demand (Krauss/IDM, lane changes, signals, right of way) and print SUMO-like statistics.", RunTrafficAsync)
    {
        Arguments =
        [
            new VerbArgument("net", "The SUMO network (.net.xml); without one, the shipped city sample (its network and a day of trips) is run.") { Required = false },
            new VerbArgument("routes", "Demand files (.rou.xml or .trips.xml), comma-separated; needed with a network.") { Required = false },
        ],
        Options =
        [
            new VerbOption("step", "Step length in seconds (1 or 0.5 as SUMO's --step-length).", VerbValue.Number) { Default = "1" },
            new VerbOption("seed", "The random seed (speed factors, dawdling).", VerbValue.Number) { Default = "42" },
            new VerbOption("begin", "Start time in seconds.", VerbValue.Number) { Default = "0" },
            new VerbOption("end", "End time in seconds (default: until every vehicle has arrived).", VerbValue.Number),
            new VerbOption("threads", "Threads that update vehicles; results are identical for any value.", VerbValue.Number) { Default = "1" },
            new VerbOption("time-to-teleport", "Seconds a vehicle may stand before it is teleported (<= 0 disables).", VerbValue.Number) { Default = "300" },
            new VerbOption("tripinfo-output", "Write SUMO's tripinfo XML here.", VerbValue.Text),
            new VerbOption("summary-output", "Write SUMO's summary XML here.", VerbValue.Text),
            new VerbOption("json", "Print the statistics as JSON.", VerbValue.Flag),
            new VerbOption("plot", "Draw the run as a PNG: roads coloured by their mean speed, vehicles and speed over time.", VerbValue.Text),
            new VerbOption("animate", "Write an animated GIF of the vehicles moving over the roads coloured by speed.", VerbValue.Text),
        ],
    });

    private static Task<VerbResult> RunTrafficAsync(VerbContext context, CancellationToken ct)
    {
        var netPath = context.Argument("net");
        var routePaths = context.Argument("routes")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        if (MissingInput(netPath, routePaths) is { } missing)
        {
            return Task.FromResult(VerbResult.Usage(missing));
        }
        var step = context.Number("step") ?? 1;
        var seed = context.Number("seed") ?? 42;
        if (seed < 0 || seed != Math.Floor(seed))
        {
            return Task.FromResult(VerbResult.Usage($"--seed must be a whole number >= 0, not {seed.ToString(CultureInfo.InvariantCulture)}."));
        }
        var threads = context.Number("threads") ?? 1;
        if (threads < 1 || threads != Math.Floor(threads))
        {
            return Task.FromResult(VerbResult.Usage($"--threads must be a whole number >= 1, not {threads.ToString(CultureInfo.InvariantCulture)}."));
        }
        var plotPath = context.Text("plot");
        var animationPath = context.Text("animate");
        if (Views.TrafficViews.Check(plotPath, animationPath) is { } badOutput)
        {
            return Task.FromResult(VerbResult.Usage(badOutput.Message));
        }
        if (netPath is null)
        {
            context.Error.WriteLine($"No network given: running the shipped city sample (samples/city: {SampleNetwork}, {SampleTrips}).");
        }
        var network = netPath is null ? ReadSampleNetwork() : SumoNetworkReader.Read(netPath);
        if (!network.IsSuccess)
        {
            return Task.FromResult(VerbResult.Usage(network.Error.Message));
        }
        var demand = netPath is null
            ? ReadSampleTrips(network.Value, (ulong)seed)
            : SumoDemandReader.Read(network.Value, routePaths, (ulong)seed);
        if (!demand.IsSuccess)
        {
            return Task.FromResult(VerbResult.Usage(demand.Error.Message));
        }
        var simulation = TrafficSimulation.Create(network.Value, demand.Value, new TrafficOptions
        {
            StepLength = step,
            Seed = (ulong)seed,
            Begin = context.Number("begin") ?? 0,
            End = context.Number("end"),
            Threads = (int)threads,
            TimeToTeleport = context.Number("time-to-teleport") ?? 300,
            FramePeriod = Views.TrafficViews.FramePeriod(plotPath is not null, animationPath is not null, context.Number("begin") ?? 0, context.Number("end"),
                demand.Value.Vehicles.Count == 0 ? 0 : demand.Value.Vehicles[^1].Depart),
        });
        if (!simulation.IsSuccess)
        {
            return Task.FromResult(VerbResult.Usage(simulation.Error.Message));
        }
        var result = simulation.Value.Run(ct);
        if (context.Text("tripinfo-output") is { } tripPath)
        {
            var written = TripInfoWriter.Write(tripPath, result.Trips);
            if (!written.IsSuccess)
            {
                return Task.FromResult(VerbResult.Failed(written.Error.Message));
            }
        }
        if (context.Text("summary-output") is { } summaryPath)
        {
            var written = SummaryWriter.Write(summaryPath, result.Summary);
            if (!written.IsSuccess)
            {
                return Task.FromResult(VerbResult.Failed(written.Error.Message));
            }
        }
        if (Views.TrafficViews.Write(network.Value, result, plotPath, animationPath) is { } notDrawn)
        {
            return Task.FromResult(VerbResult.Failed(notDrawn.Message));
        }
        var stats = TrafficStatistics.From(result, demand.Value.Vehicles.Count);
        if (context.Flag("json"))
        {
            context.Out.WriteLine(JsonSerializer.Serialize(stats.ToJson(), new JsonSerializerOptions { WriteIndented = true }));
        }
        else
        {
            stats.Write(context.Out);
        }
        return Task.FromResult(VerbResult.Ok);
    }

    private static Result<RoadNetwork> ReadSampleNetwork()
    {
        using var xml = Resource(SampleNetwork);
        return SumoNetworkReader.Read(xml, $"the city sample's {SampleNetwork}");
    }

    private static Result<TrafficDemand> ReadSampleTrips(RoadNetwork network, ulong seed)
    {
        using var xml = Resource(SampleTrips);
        return SumoDemandReader.Read(network, xml, $"the city sample's {SampleTrips}", seed);
    }

    /// <summary>Why the named files cannot be run, before anything is read: a network without demand, or a file that is not there.</summary>
    private static string? MissingInput(string? netPath, IReadOnlyList<string> routePaths)
    {
        if (netPath is null)
        {
            return null;
        }
        // The network argument is optional, so the parser hands an unknown option over as the network's path.
        if (netPath.StartsWith('-'))
        {
            return $"{netPath}: unknown option (see doppel traffic run --help).";
        }
        if (routePaths.Count == 0)
        {
            return $"{netPath}: a network needs its demand: doppel traffic run NET.net.xml ROUTES.rou.xml[,MORE.rou.xml] (without files, the shipped city sample is run).";
        }
        foreach (var (path, what) in routePaths.Select(p => (p, "demand file")).Prepend((netPath, "network")))
        {
            if (Directory.Exists(path))
            {
                return $"{path}: is a folder, not a {what} (give the file itself).";
            }
            if (!File.Exists(path))
            {
                return $"{path}: no such {what} (looked for {Path.GetFullPath(path)}; without files, doppel traffic run runs the shipped city sample).";
            }
        }
        return null;
    }
}
