using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Doppel.Packs.Mobility.Network.Internal;
using Doppel.Packs.Mobility.Output;
using Doppel.Packs.Mobility.Simulation;
using Doppel.Packs.Mobility.Sumo.Internal;

namespace Doppel.Packs.Mobility.Sumo;

/// <summary>
/// SUMO itself, the peer Doppel's traffic simulator is checked and timed against: <c>sumo</c> run on the same network,
/// demand and additional files with the same seed and step, its tripinfo and statistics read back.
/// </summary>
public sealed partial class SumoPeer
{
    private SumoPeer(string program, string home, string version) => (Program, SumoHome, Version) = (program, home, version);

    /// <summary>The <c>sumo</c> executable.</summary>
    public string Program { get; }

    public string SumoHome { get; }

    /// <summary>SUMO's version, as it states it ("1.15.0").</summary>
    public string Version { get; }

    /// <summary>The SUMO installed here (on the PATH or under SUMO_HOME/bin); an error says how to install it when it is absent.</summary>
    public static Result<SumoPeer> Find()
    {
        var home = SumoProcess.Home();
        var program = SumoProcess.Which("sumo", home);
        if (program is null)
        {
            return new DoppelError("sumo-missing", "SUMO is not installed (no 'sumo' on the PATH or in SUMO_HOME/bin): install Debian's sumo and sumo-tools (eng/test.sh does).");
        }
        var version = SumoProcess.RunAsync(program, ["--version"], home, Environment.CurrentDirectory, CancellationToken.None).GetAwaiter().GetResult();
        var match = VersionPattern().Match(version.Output);
        return Result<SumoPeer>.Ok(new SumoPeer(program, home, match.Success ? match.Groups[1].Value : "unknown"));
    }

    /// <summary>Runs SUMO to the end of the demand (or <see cref="SumoRunRequest.End"/>) and reads what it wrote.</summary>
    public async Task<Result<SumoRun>> RunAsync(SumoRunRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        foreach (var file in request.RouteFiles.Prepend(request.NetFile).Concat(request.AdditionalFiles))
        {
            if (!File.Exists(file))
            {
                return new DoppelError("InvalidArgument", $"{file}: no such file for SUMO to read.");
            }
        }
        var folder = Path.GetFullPath(request.OutputFolder ?? Path.Combine(Path.GetTempPath(), "doppel-sumo", Guid.NewGuid().ToString("N")));
        Directory.CreateDirectory(folder);
        var statistics = Path.Combine(folder, "statistics.xml");
        var tripInfo = Path.Combine(folder, "tripinfo.xml");
        var summary = Path.Combine(folder, "summary.xml");
        var arguments = new List<string>
        {
            "-n", Path.GetFullPath(request.NetFile),
            "-r", string.Join(',', request.RouteFiles.Select(Path.GetFullPath)),
            "--seed", request.Seed.ToString(CultureInfo.InvariantCulture),
            "--step-length", request.StepLength.ToString(CultureInfo.InvariantCulture),
            "--time-to-teleport", (request.TimeToTeleport > 0 ? request.TimeToTeleport : -1).ToString(CultureInfo.InvariantCulture),
            "--no-step-log", "--duration-log.statistics", "--statistic-output", statistics,
        };
        if (request.AdditionalFiles.Count > 0)
        {
            arguments.AddRange(["-a", string.Join(',', request.AdditionalFiles.Select(Path.GetFullPath))]);
        }
        if (request.End is { } end)
        {
            arguments.AddRange(["--end", end.ToString(CultureInfo.InvariantCulture)]);
        }
        if (request.TripInfo)
        {
            arguments.AddRange(["--tripinfo-output", tripInfo]);
        }
        if (request.Summary)
        {
            arguments.AddRange(["--summary-output", summary]);
        }
        var run = await SumoProcess.RunAsync(Program, arguments, SumoHome, folder, ct).ConfigureAwait(false);
        if (run.ExitCode != 0)
        {
            return new DoppelError("sumo-failed", $"sumo exited with {run.ExitCode}: {SumoProcess.Tail(run.Error + run.Output)}");
        }
        var read = SumoXml.ReadFile(statistics, (s, n) => SumoXml.Catch(() => ReadStatistics(SumoXml.Load(s, n), n)));
        if (!read.IsSuccess)
        {
            return Result<SumoRun>.Fail(read.Error);
        }
        IReadOnlyList<TripInfo> trips = [];
        if (request.TripInfo)
        {
            var tripsRead = TripInfoReader.Read(tripInfo);
            if (!tripsRead.IsSuccess)
            {
                return Result<SumoRun>.Fail(tripsRead.Error);
            }
            trips = tripsRead.Value;
        }
        var (simulation, updates) = Performance(run.Output);
        return Result<SumoRun>.Ok(new SumoRun(trips, read.Value, simulation, run.Wall, updates, folder)
        {
            TripInfoFile = request.TripInfo ? tripInfo : null,
            SummaryFile = request.Summary ? summary : null,
        });
    }

    private static SumoStatistics ReadStatistics(XDocument document, string file)
    {
        var root = document.Root!;
        XElement Part(string name) => root.Element(name) ?? throw SumoXml.Error(file, root, $"SUMO's statistics have no <{name}>.");
        var vehicles = Part("vehicles");
        var trips = Part("vehicleTripStatistics");
        return new SumoStatistics(
            SumoXml.Int(file, vehicles, "loaded", 0), SumoXml.Int(file, vehicles, "inserted", 0), SumoXml.Int(file, vehicles, "running", 0), SumoXml.Int(file, vehicles, "waiting", 0),
            SumoXml.Int(file, Part("teleports"), "total", 0), SumoXml.Int(file, Part("safety"), "collisions", 0),
            SumoXml.Int(file, trips, "count", 0), SumoXml.Double(file, trips, "routeLength", 0), SumoXml.Double(file, trips, "speed", 0),
            SumoXml.Double(file, trips, "duration", 0), SumoXml.Double(file, trips, "waitingTime", 0), SumoXml.Double(file, trips, "timeLoss", 0),
            SumoXml.Double(file, trips, "departDelay", 0));
    }

    // SUMO's --duration-log.statistics block: "Duration: 12.34s" (or "1234ms") and "UPS: 123456.78".
    private static (TimeSpan Simulation, long Updates) Performance(string output)
    {
        var duration = DurationPattern().Match(output);
        var ups = UpsPattern().Match(output);
        if (!duration.Success || !ups.Success)
        {
            return (TimeSpan.Zero, 0);
        }
        var value = double.Parse(duration.Groups[1].Value, CultureInfo.InvariantCulture);
        var seconds = duration.Groups[2].Value == "ms" ? value / 1000 : value;
        var rate = double.Parse(ups.Groups[1].Value, CultureInfo.InvariantCulture);
        return (TimeSpan.FromSeconds(seconds), (long)Math.Round(rate * seconds));
    }

    [GeneratedRegex(@"Version (\d+\.\d+\.\d+)")]
    private static partial Regex VersionPattern();

    [GeneratedRegex(@"Duration: ([0-9.]+)(ms|s)")]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"UPS: ([0-9.eE+-]+)")]
    private static partial Regex UpsPattern();
}
