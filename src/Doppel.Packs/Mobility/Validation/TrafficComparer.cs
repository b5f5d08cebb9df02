using System.Diagnostics;
using Doppel.Packs.Mobility.Demand;
using Doppel.Packs.Mobility.Network;
using Doppel.Packs.Mobility.Simulation;
using Doppel.Packs.Mobility.Sumo;

namespace Doppel.Packs.Mobility.Validation;

/// <summary>How a comparison runs: the seed and step both simulators use, and the criteria.</summary>
public sealed record ComparisonOptions
{
    public ulong Seed { get; init; } = 42;

    public double StepLength { get; init; } = 1;

    public int Threads { get; init; } = 1;

    public ComparisonCriteria Criteria { get; init; } = new();
}

/// <summary>Runs SUMO and Doppel's simulator on the same files with the same seed and step, and compares them.</summary>
public sealed class TrafficComparer(SumoPeer sumo)
{
    /// <summary>Both runs on <paramref name="files"/>; SUMO writes into <paramref name="outputFolder"/>, and Doppel's tripinfo goes beside it (doppel-tripinfo.xml).</summary>
    public async Task<Result<TrafficComparison>> CompareAsync(string scenario, ScenarioFiles files, ComparisonOptions options, string outputFolder, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(options);
        var doppel = await Task.Run(() => RunDoppel(files, options, ct), ct).ConfigureAwait(false);
        if (!doppel.IsSuccess)
        {
            return Result<TrafficComparison>.Fail(doppel.Error);
        }
        Directory.CreateDirectory(outputFolder);
        var written = Output.TripInfoWriter.Write(Path.Combine(outputFolder, "doppel-tripinfo.xml"), doppel.Value.Trips);
        if (!written.IsSuccess)
        {
            return Result<TrafficComparison>.Fail(written.Error);
        }
        var peer = await sumo.RunAsync(new SumoRunRequest(files.NetFile, [files.RoutesFile]) { Seed = options.Seed, StepLength = options.StepLength, OutputFolder = outputFolder }, ct).ConfigureAwait(false);
        if (!peer.IsSuccess)
        {
            return Result<TrafficComparison>.Fail(peer.Error);
        }
        return Result<TrafficComparison>.Ok(TrafficComparison.Compare(scenario, doppel.Value, peer.Value, options.Criteria));
    }

    /// <summary>Doppel's run on SUMO's files (network and routes read here, then simulated to the last arrival).</summary>
    public static Result<TrafficResult> RunDoppel(ScenarioFiles files, ComparisonOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(options);
        var network = SumoNetworkReader.Read(files.NetFile);
        if (!network.IsSuccess)
        {
            return Result<TrafficResult>.Fail(network.Error);
        }
        var demand = SumoDemandReader.Read(network.Value, [files.RoutesFile], options.Seed);
        if (!demand.IsSuccess)
        {
            return Result<TrafficResult>.Fail(demand.Error);
        }
        var simulation = TrafficSimulation.Create(network.Value, demand.Value, new TrafficOptions { Seed = options.Seed, StepLength = options.StepLength, Threads = options.Threads });
        if (!simulation.IsSuccess)
        {
            return Result<TrafficResult>.Fail(simulation.Error);
        }
        var clock = Stopwatch.StartNew();
        var result = simulation.Value.Run(ct);
        return Result<TrafficResult>.Ok(result with { Elapsed = clock.Elapsed });
    }
}
