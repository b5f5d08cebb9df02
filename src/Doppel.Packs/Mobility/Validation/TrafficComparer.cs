using System.Diagnostics;
using System.Globalization;
using Doppel.Packs.Mobility.Demand;
using Doppel.Packs.Mobility.Network;
using Doppel.Packs.Mobility.Simulation;
using Doppel.Packs.Mobility.Sumo;

namespace Doppel.Packs.Mobility.Validation;

/// <summary>How a comparison runs: the seeds and step both simulators use, and the criteria.</summary>
public sealed record ComparisonOptions
{
    /// <summary>The first seed; runs use <see cref="Seed"/> to <see cref="Seed"/> + <see cref="Seeds"/> − 1.</summary>
    public ulong Seed { get; init; } = 42;

    /// <summary>How many seeds each simulator runs; their trips are pooled before comparing (1: one run each).</summary>
    public int Seeds { get; init; } = 1;

    public double StepLength { get; init; } = 1;

    public int Threads { get; init; } = 1;

    public ComparisonCriteria Criteria { get; init; } = new();
}

/// <summary>Runs SUMO and Doppel's simulator on the same files with the same seed and step, and compares them.</summary>
public sealed class TrafficComparer(SumoPeer sumo)
{
    /// <summary>
    /// Both simulators on <paramref name="files"/> at each of the options' seeds, trips pooled per simulator. SUMO writes
    /// into <paramref name="outputFolder"/> and Doppel's tripinfo goes beside it (doppel-tripinfo.xml); with several
    /// seeds, each seed's outputs go into a subfolder seed-N.
    /// </summary>
    public async Task<Result<TrafficComparison>> CompareAsync(string scenario, ScenarioFiles files, ComparisonOptions options, string outputFolder, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(options);
        var doppel = await Task.Run(() => RunDoppel(files, options, outputFolder, ct), ct).ConfigureAwait(false);
        if (!doppel.IsSuccess)
        {
            return Result<TrafficComparison>.Fail(doppel.Error);
        }
        var peer = await RunSumoAsync(files, options, options.Seed, outputFolder, ct).ConfigureAwait(false);
        if (!peer.IsSuccess)
        {
            return Result<TrafficComparison>.Fail(peer.Error);
        }
        return Result<TrafficComparison>.Ok(TrafficComparison.Compare(scenario, doppel.Value, peer.Value, options.Criteria));
    }

    /// <summary>
    /// SUMO against itself: its runs at the next <see cref="ComparisonOptions.Seeds"/> seeds (from Seed + Seeds) beside
    /// its runs at the options' seeds, pooled alike, so the chance difference between two SUMO samples of the same size
    /// stands beside Doppel's difference from SUMO. <paramref name="sumo"/> is SUMO's sample at the options' seeds when
    /// already run (it is run otherwise).
    /// </summary>
    public async Task<Result<TrafficComparison>> BaselineAsync(string scenario, ScenarioFiles files, ComparisonOptions options, string outputFolder, TrafficSample? sumo = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(options);
        if (sumo is null)
        {
            var reference = await RunSumoAsync(files, options, options.Seed, Path.Combine(outputFolder, "reference"), ct).ConfigureAwait(false);
            if (!reference.IsSuccess)
            {
                return Result<TrafficComparison>.Fail(reference.Error);
            }
            sumo = reference.Value;
        }
        var other = await RunSumoAsync(files, options, options.Seed + (ulong)options.Seeds, outputFolder, ct).ConfigureAwait(false);
        if (!other.IsSuccess)
        {
            return Result<TrafficComparison>.Fail(other.Error);
        }
        return Result<TrafficComparison>.Ok(TrafficComparison.Compare(scenario, other.Value, sumo, options.Criteria));
    }

    /// <summary>SUMO at <see cref="ComparisonOptions.Seeds"/> consecutive seeds from <paramref name="firstSeed"/>, trips pooled; each run writes into <paramref name="outputFolder"/> (one seed) or its seed-N subfolder.</summary>
    public async Task<Result<TrafficSample>> RunSumoAsync(ScenarioFiles files, ComparisonOptions options, ulong firstSeed, string outputFolder, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(options);
        var runs = new List<TrafficSample>();
        foreach (var seed in SeedsFrom(firstSeed, options.Seeds))
        {
            var run = await sumo.RunAsync(new SumoRunRequest(files.NetFile, [files.RoutesFile]) { Seed = seed, StepLength = options.StepLength, OutputFolder = SeedFolder(outputFolder, seed, options.Seeds) }, ct).ConfigureAwait(false);
            if (!run.IsSuccess)
            {
                return Result<TrafficSample>.Fail(run.Error);
            }
            runs.Add(TrafficSample.From(run.Value, seed));
        }
        return Result<TrafficSample>.Ok(TrafficSample.Pool(runs));
    }

    /// <summary>Doppel at each of the options' seeds, trips pooled; each run's tripinfo is written as doppel-tripinfo.xml into <paramref name="outputFolder"/> (one seed) or its seed-N subfolder.</summary>
    public static Result<TrafficSample> RunDoppel(ScenarioFiles files, ComparisonOptions options, string outputFolder, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(options);
        var runs = new List<TrafficSample>();
        foreach (var seed in SeedsFrom(options.Seed, options.Seeds))
        {
            var run = RunDoppel(files, options with { Seed = seed }, ct);
            if (!run.IsSuccess)
            {
                return Result<TrafficSample>.Fail(run.Error);
            }
            var folder = SeedFolder(outputFolder, seed, options.Seeds);
            Directory.CreateDirectory(folder);
            var written = Output.TripInfoWriter.Write(Path.Combine(folder, "doppel-tripinfo.xml"), run.Value.Trips);
            if (!written.IsSuccess)
            {
                return Result<TrafficSample>.Fail(written.Error);
            }
            runs.Add(TrafficSample.From(run.Value, seed));
        }
        return Result<TrafficSample>.Ok(TrafficSample.Pool(runs));
    }

    private static IEnumerable<ulong> SeedsFrom(ulong first, int count)
    {
        if (count < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "A comparison runs at least one seed.");
        }
        for (var k = 0; k < count; k++)
        {
            yield return first + (ulong)k;
        }
    }

    private static string SeedFolder(string outputFolder, ulong seed, int seeds) =>
        seeds == 1 ? outputFolder : Path.Combine(outputFolder, string.Create(CultureInfo.InvariantCulture, $"seed-{seed}"));

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
