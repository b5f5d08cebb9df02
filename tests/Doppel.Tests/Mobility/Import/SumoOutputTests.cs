using System.Diagnostics;
using Doppel.Packs.Mobility.Demand;
using Doppel.Packs.Mobility.Network;
using Doppel.Packs.Mobility.Output;
using Doppel.Packs.Mobility.Simulation;
using Doppel.Packs.Mobility.Sumo;

namespace Doppel.Tests.Mobility.Import;

/// <summary>Files Doppel writes in SUMO's formats read back equal, and SUMO and its tools read them (SUMO 1.15 is installed by eng/test.sh).</summary>
public sealed class SumoOutputTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("doppel-sumo-output").FullName;

    private static readonly TripInfo[] Trips =
    [
        new("v0", TrafficDemand.DefaultTypeId, 0, 0.5, 95, 95, 616.25, 30.5, 2, 48.36, "A0A1_0", "B2C2_1") { DepartPos = 5.1, ArrivalPos = 129.2, ArrivalSpeed = 13.84, SpeedFactor = 1.08 },
        new("v1", "car", 1.5, 0, 60, 58.5, 300, 0, 0, 7.25, "A1A2_0", "A2A3_0") { SpeedFactor = 0.93, RerouteCount = 1 },
    ];

    [Fact]
    public void Tripinfo_written_reads_back_equal()
    {
        var path = Path.Combine(folder, "tripinfo.xml");

        Assert.True(TripInfoWriter.Write(path, Trips).IsSuccess);
        var read = TripInfoReader.Read(path);

        Assert.True(read.IsSuccess, read.Error?.Message);
        Assert.Equal(Trips, read.Value);
    }

    [Fact]
    public void SUMOs_xml2csv_reads_our_tripinfo_and_validates_it_against_SUMOs_schema()
    {
        var path = Path.Combine(folder, "tripinfo.xml");
        TripInfoWriter.Write(path, Trips);

        var (exit, output) = Run("python3", SumoHome("tools/xml/xml2csv.py"), "-a", "-x", SumoHome("data/xsd/tripinfo_file.xsd"), "-s", ";", "-o", Path.Combine(folder, "tripinfo.csv"), path);

        Assert.True(exit == 0, output);
        var lines = File.ReadAllLines(Path.Combine(folder, "tripinfo.csv"));
        var header = lines[0].Split(';');
        Assert.Equal(3, lines.Length);
        var row = lines[1].Split(';');
        Assert.Equal("v0", row[Array.IndexOf(header, "tripinfo_id")]);
        Assert.Equal("95.00", row[Array.IndexOf(header, "tripinfo_duration")]);
        Assert.Equal("48.36", row[Array.IndexOf(header, "tripinfo_timeLoss")]);
    }

    [Fact]
    public void SUMOs_tripStatistics_computes_our_means()
    {
        var path = Path.Combine(folder, "tripinfo.xml");
        TripInfoWriter.Write(path, Trips);

        var (exit, output) = Run("python3", SumoHome("tools/output/tripStatistics.py"), "-t", path, "-o", Path.Combine(folder, "stats.txt"));

        Assert.True(exit == 0, output);
        var stats = File.ReadAllText(Path.Combine(folder, "stats.txt"));
        Assert.Contains("travel time", stats, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("76.75", stats, StringComparison.Ordinal); // mean duration (95 + 58.5) / 2
    }

    [Fact]
    public void Summary_and_detector_output_pass_SUMOs_schemas()
    {
        var summary = Path.Combine(folder, "summary.xml");
        var detectors = Path.Combine(folder, "e1.xml");
        SummaryWriter.Write(summary, [new SummaryStep(1, 2, 1, 1, 1, 0, 0, 0, 0, 1, 0.5, -1, 0) { MeanSpeedRelative = 0 }]);
        DetectorOutputWriter.Write(detectors, [new DetectorInterval("e1_0", 0, 60, 3, 180, 2.5, 13), new DetectorInterval("e1_0", 60, 120, 0, 0, 0, -1)]);

        var (exitSummary, outputSummary) = Run("python3", SumoHome("tools/xml/xml2csv.py"), "-a", "-x", SumoHome("data/xsd/summary_file.xsd"), "-o", Path.Combine(folder, "summary.csv"), summary);
        var (exitDetectors, outputDetectors) = Run("python3", SumoHome("tools/xml/xml2csv.py"), "-a", "-x", SumoHome("data/xsd/det_e1_file.xsd"), "-o", Path.Combine(folder, "e1.csv"), detectors);

        Assert.True(exitSummary == 0, outputSummary);
        Assert.True(exitDetectors == 0, outputDetectors);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(folder, "e1.csv")).Length);
    }

    [Fact]
    public async Task SUMO_runs_our_signal_programs_and_our_demand()
    {
        var network = SumoNetworkReader.Read(SumoFiles.Path("grid4.net.xml")).Value!;
        var demand = SumoDemandReader.Read(network, [SumoFiles.Path("grid4.rou.xml")]).Value!;
        var program = network.SignalPrograms[0];
        var changed = program with { ProgramId = "doppel", Offset = 7.5, Phases = [.. program.Phases.Select((p, i) => i == 0 ? p with { Duration = 30.5 } : p)] };
        var plan = Path.Combine(folder, "plan.add.xml");
        var routes = Path.Combine(folder, "demand.rou.xml");
        SignalProgramWriter.Write(plan, [changed]);
        var small = demand with { Vehicles = [.. demand.Vehicles.Take(40)], Types = new Dictionary<string, VehicleType>(demand.Types) { ["slow"] = new VehicleType("slow") { MaxSpeed = 10, Sigma = 0 } } };
        small = small with { Vehicles = [.. small.Vehicles.Select((v, i) => i % 2 == 0 ? v with { TypeId = "slow", DepartLane = "best" } : v)] };
        SumoDemandWriter.Write(routes, small);

        var additional = SumoAdditionalReader.Read(plan, network);
        var reread = SumoDemandReader.Read(network, [routes]);
        var peer = SumoPeer.Find();
        Assert.True(peer.IsSuccess, peer.Error?.Message);
        var run = await peer.Value.RunAsync(new SumoRunRequest(SumoFiles.Path("grid4.net.xml"), [routes]) { AdditionalFiles = [plan], OutputFolder = Path.Combine(folder, "sumo") });

        Assert.True(additional.IsSuccess, additional.Error?.Message);
        AssertSameProgram(changed, Assert.Single(additional.Value.SignalPrograms));
        AssertSameProgram(changed, additional.Value.ApplyTo(network).SignalPrograms.Single(p => p.Id == changed.Id));
        Assert.True(reread.IsSuccess, reread.Error?.Message);
        Assert.Equal(small.Vehicles, reread.Value.Vehicles, (a, b) => a.Id == b.Id && a.TypeId == b.TypeId && a.Depart == b.Depart && a.Route.SequenceEqual(b.Route) && a.DepartLane == b.DepartLane);
        Assert.Equal(small.Types["slow"], reread.Value.Types["slow"]);
        Assert.True(run.IsSuccess, run.Error?.Message);
        Assert.Equal(40, run.Value.Statistics.Loaded);
        Assert.Equal(40, run.Value.Trips.Count);
        Assert.Equal(0, run.Value.Statistics.Collisions);
        Assert.True(run.Value.VehicleUpdates > 0);
        Assert.Equal(run.Value.Statistics.MeanDuration, run.Value.Trips.Average(t => t.Duration), 0.01);
    }

    [Fact]
    public void Detectors_are_read_from_an_additional_file_and_checked_against_the_network()
    {
        var network = SumoNetworkReader.Read(SumoFiles.Path("grid4.net.xml")).Value!;
        const string Xml = """
            <additional>
                <inductionLoop id="d0" lane="A0A1_0" pos="-10" period="60" file="e1.xml"/>
                <e1Detector id="d1" lane="A0A1_1" pos="20" freq="300" file="e1.xml"/>
                <busStop id="ignored" lane="A0A1_0" startPos="0" endPos="10"/>
            </additional>
            """;

        var read = SumoAdditionalReader.Read(SumoFiles.Xml(Xml), "d.add.xml", network);
        var missing = SumoAdditionalReader.Read(SumoFiles.Xml("<additional>\n<inductionLoop id=\"d\" lane=\"nope_0\" pos=\"1\" period=\"60\"/></additional>"), "d.add.xml", network);

        Assert.True(read.IsSuccess, read.Error?.Message);
        var length = network.FindLane("A0A1_0")!.Length;
        Assert.Equal([new InductionLoop("d0", "A0A1_0", length - 10, 60) { File = "e1.xml" }, new InductionLoop("d1", "A0A1_1", 20, 300) { File = "e1.xml" }], read.Value.Detectors);
        Assert.False(missing.IsSuccess);
        Assert.Equal("d.add.xml:2: induction loop 'd' is on lane 'nope_0', which the network does not have.", missing.Error.Message);
    }

    private static void AssertSameProgram(SignalProgram expected, SignalProgram actual)
    {
        Assert.Equal((expected.Id, expected.Type, expected.ProgramId, expected.Offset), (actual.Id, actual.Type, actual.ProgramId, actual.Offset));
        Assert.Equal(expected.Phases, actual.Phases);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static string SumoHome(string path) => Path.Combine(Environment.GetEnvironmentVariable("SUMO_HOME") is { Length: > 0 } home ? home : "/usr/share/sumo", path);

    private static (int ExitCode, string Output) Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["SUMO_HOME"] = SumoHome("");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result + error);
    }
}
