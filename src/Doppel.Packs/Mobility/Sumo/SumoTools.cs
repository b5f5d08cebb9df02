using System.Globalization;
using Doppel.Packs.Mobility.Sumo.Internal;

namespace Doppel.Packs.Mobility.Sumo;

/// <summary>The kinds of network netgenerate builds.</summary>
public enum GeneratedNetworkKind
{
    Grid,
    Spider,
    Random,
}

/// <summary>
/// What netgenerate is to build. <see cref="Size"/> is the grid's junctions per side, the spider's arms, or the random
/// network's iterations; <see cref="Length"/> the block, ring spacing or mean edge length (m); <see cref="TrafficLights"/>
/// guesses signals at the junctions (<c>--tls.guess</c>), else junctions are priority ones.
/// </summary>
public sealed record NetworkGeneration(GeneratedNetworkKind Kind, int Size, double Length, int Lanes = 1, bool TrafficLights = false, int Seed = 42)
{
    /// <summary>Circles of a spider network.</summary>
    public int Circles { get; init; } = 4;
}

/// <summary>What randomTrips.py is to draw: a trip every <see cref="Period"/> seconds between begin and end, from a seed.</summary>
public sealed record TripGeneration(int Seed, double Begin, double End, double Period)
{
    /// <summary>Prefix of the vehicle ids.</summary>
    public string Prefix { get; init; } = "v";

    /// <summary>randomTrips' <c>--fringe-factor</c>: how much more often trips start and end at the network's border (1: not).</summary>
    public double FringeFactor { get; init; } = 1;
}

/// <summary>
/// SUMO's scenario tools: <c>netgenerate</c> (grid, spider and random networks, with or without traffic lights) and
/// <c>randomTrips.py</c> (random trips, routed by duarouter). Deterministic for their seeds, so scenarios are made at
/// run time instead of shipped. Errors say which tool is missing and how to install it.
/// </summary>
public sealed class SumoTools
{
    private SumoTools(string home, string netgenerate, string randomTrips, string python) =>
        (SumoHome, NetGenerate, RandomTrips, Python) = (home, netgenerate, randomTrips, python);

    public string SumoHome { get; }

    public string NetGenerate { get; }

    public string RandomTrips { get; }

    public string Python { get; }

    /// <summary>The tools of the SUMO installed here (<c>SUMO_HOME</c>, default /usr/share/sumo).</summary>
    public static Result<SumoTools> Find()
    {
        var home = SumoProcess.Home();
        var netgenerate = SumoProcess.Which("netgenerate", home);
        var randomTrips = Path.Combine(home, "tools", "randomTrips.py");
        var python = SumoProcess.Which("python3", home);
        if (netgenerate is null || !File.Exists(randomTrips) || python is null)
        {
            return new DoppelError("sumo-missing", $"SUMO's tools are not installed (netgenerate on the PATH, {randomTrips}, python3): install Debian's sumo and sumo-tools (eng/test.sh does) or set SUMO_HOME.");
        }
        return Result<SumoTools>.Ok(new SumoTools(home, netgenerate, randomTrips, python));
    }

    /// <summary>Builds a network into <paramref name="netFile"/>.</summary>
    public async Task<Result<string>> GenerateNetworkAsync(NetworkGeneration generation, string netFile, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(generation);
        if (generation.Size < 2 || generation.Length <= 0 || generation.Lanes < 1)
        {
            return new DoppelError("InvalidArgument", $"a generated network needs a size of at least 2, a positive length and at least one lane ({generation}).");
        }
        var size = generation.Size.ToString(CultureInfo.InvariantCulture);
        var length = generation.Length.ToString(CultureInfo.InvariantCulture);
        List<string> arguments = generation.Kind switch
        {
            GeneratedNetworkKind.Grid => ["--grid", "--grid.number", size, "--grid.length", length],
            GeneratedNetworkKind.Spider => ["--spider", "--spider.arm-number", size, "--spider.circle-number", generation.Circles.ToString(CultureInfo.InvariantCulture), "--spider.space-radius", length],
            _ => ["--rand", "--rand.iterations", size, "--rand.min-distance", length, "--rand.max-distance", (2 * generation.Length).ToString(CultureInfo.InvariantCulture), "--seed", generation.Seed.ToString(CultureInfo.InvariantCulture)],
        };
        arguments.AddRange(["--default.lanenumber", generation.Lanes.ToString(CultureInfo.InvariantCulture), "--tls.guess", generation.TrafficLights ? "true" : "false", "--output-file", Path.GetFullPath(netFile)]);
        return await RunAsync(NetGenerate, arguments, netFile, ct).ConfigureAwait(false);
    }

    /// <summary>Draws trips on a network and routes them; the routes file (what SUMO and Doppel both run).</summary>
    public async Task<Result<string>> GenerateTripsAsync(string netFile, TripGeneration generation, string tripsFile, string routesFile, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(generation);
        if (generation.Period <= 0 || generation.End <= generation.Begin)
        {
            return new DoppelError("InvalidArgument", $"random trips need a positive period and an end after the begin ({generation}).");
        }
        string[] arguments =
        [
            RandomTrips, "-n", Path.GetFullPath(netFile), "--seed", generation.Seed.ToString(CultureInfo.InvariantCulture),
            "-b", generation.Begin.ToString(CultureInfo.InvariantCulture), "-e", generation.End.ToString(CultureInfo.InvariantCulture),
            "-p", generation.Period.ToString(CultureInfo.InvariantCulture), "--fringe-factor", generation.FringeFactor.ToString(CultureInfo.InvariantCulture),
            "--prefix", generation.Prefix, "-o", Path.GetFullPath(tripsFile), "-r", Path.GetFullPath(routesFile),
        ];
        var run = await RunAsync(Python, arguments, routesFile, ct).ConfigureAwait(false);
        // randomTrips leaves duarouter's route alternatives beside the routes (x.rou.xml: x.rou.alt.xml); nothing reads them.
        var routes = Path.GetFullPath(routesFile);
        File.Delete(routes.EndsWith(".xml", StringComparison.Ordinal) ? routes[..^4] + ".alt.xml" : routes + ".alt");
        return run;
    }

    private async Task<Result<string>> RunAsync(string program, IEnumerable<string> arguments, string output, CancellationToken ct)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(output))!;
        Directory.CreateDirectory(folder);
        var run = await SumoProcess.RunAsync(program, arguments, SumoHome, folder, ct).ConfigureAwait(false);
        if (run.ExitCode != 0 || !File.Exists(output))
        {
            return new DoppelError("sumo-failed", $"{Path.GetFileName(program)} exited with {run.ExitCode}: {SumoProcess.Tail(run.Error + run.Output)}");
        }
        return Result<string>.Ok(Path.GetFullPath(output));
    }
}
