using System.Globalization;
using System.Text;
using Doppel.Packs.Manufacturing;
using Doppel.Simulation;

namespace Doppel.Tests.Packs.Manufacturing;

/// <summary>
/// The line is deterministic under a seed, so its results are pinned bit for bit: a change to how the line is written
/// (not to what it does) must leave every figure below as it is. The figures cover every station behaviour: failures,
/// scrap, rework, setups, maintenance, shared crews, shifts, calendar-time failures, thermal limits, a start from a
/// reported state, and a replica stepped through time.
/// </summary>
public sealed class ProductionLineGoldenTests
{
    private static readonly string Golden = Path.Combine(AppContext.BaseDirectory, "Data", "golden", "production-line.txt");

    [Fact]
    public void The_line_gives_the_same_figures_bit_for_bit_for_fixed_seeds()
    {
        var actual = Figures();

        // DOPPEL_UPDATE_GOLDEN=1 rewrites the file (in the source tree) after a deliberate change of behaviour.
        if (Environment.GetEnvironmentVariable("DOPPEL_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(Path.Combine(SourceData(), "golden", "production-line.txt"), actual);
        }
        var expected = File.ReadAllText(Golden).ReplaceLineEndings("\n");
        var expectedLines = expected.Split('\n');
        var actualLines = actual.Split('\n');
        for (var i = 0; i < Math.Min(expectedLines.Length, actualLines.Length); i++)
        {
            Assert.True(expectedLines[i] == actualLines[i], $"line {i + 1} differs:\nexpected {expectedLines[i]}\nactual   {actualLines[i]}");
        }
        Assert.Equal(expectedLines.Length, actualLines.Length);
    }

    private static string Figures()
    {
        var text = new StringBuilder();
        var sample = new LineDefinition(
        [
            new StationDefinition("press", Dist("normal(1.0, 0.1)")) { TimeToFailure = Dist("exp(240)"), TimeToRepair = Dist("exp(12)") },
            new StationDefinition("weld", Dist("normal(1.1, 0.2)")) { TimeToFailure = Dist("exp(180)"), TimeToRepair = Dist("exp(15)"), ScrapRate = 0.01 },
            new StationDefinition("paint", Dist("normal(1.2, 0.1)"))
            {
                IdealCycleTime = 1.0,
                Thermal = new ThermalLimit(20, 60, 30, 76, 50),
            },
            new StationDefinition("inspect", Dist("exp(0.8)")) { ScrapRate = 0.02 },
            new StationDefinition("pack", Dist("const(0.9)")) { TimeToFailure = Dist("exp(600)"), TimeToRepair = Dist("const(20)") },
        ], [5, 5, 5, 5])
        { Crews = 2 };
        Write(text, "sample line", new ProductionLine(new Doppel.Simulation.Simulation(3), sample).Run(20_000, 1_000));

        var reported = new LineState([0, 4, 0, 5], [false, true, false, false, false])
        {
            StationStates = ["working", "down", "cooling", "blocked", "starved"],
        };
        Write(text, "sample line from a reported state", new ProductionLine(new Doppel.Simulation.Simulation(4), sample, reported).Run(5_000, 0));

        var busy = new LineDefinition(
        [
            new StationDefinition("cut", Dist("normal(1.0, 0.1)"))
            {
                TimeToFailure = Dist("weibull(3, 200)"),
                TimeToRepair = Dist("exp(10)"),
                MaintenanceInterval = 80,
                MaintenanceTime = Dist("const(3)"),
                SetupTime = Dist("uniform(2, 4)"),
                SetupEvery = 25,
            },
            new StationDefinition("bend", Dist("exp(0.9)")) { ReworkRate = 0.05, ScrapRate = 0.02, TimeToFailure = Dist("exp(150)"), TimeToRepair = Dist("lognormal(2.2, 0.4)") },
            new StationDefinition("weld", Dist("triangular(0.8, 1.0, 1.3)")) { TimeToFailure = Dist("exp(300)"), TimeToRepair = Dist("exp(20)") },
        ], [3, 8])
        { Crews = 1 };
        Write(text, "setups, rework, maintenance, one crew", new ProductionLine(new Doppel.Simulation.Simulation(5), busy).Run(30_000, 2_000));
        var setupState = new LineState([1, 0], [false, false, true]) { StationStates = ["setup", "maintenance", "down"] };
        Write(text, "setups, rework, maintenance, one crew, from a reported state", new ProductionLine(new Doppel.Simulation.Simulation(6), busy, setupState).Run(3_000, 0));

        var shifts = new LineDefinition(
        [
            new StationDefinition("mill", Dist("normal(2, 0.3)")) { TimeToFailure = Dist("exp(500)"), TimeToRepair = Dist("exp(30)"), FailureClock = FailureClock.Calendar },
            new StationDefinition("drill", Dist("exp(1.5)")) { TimeToFailure = Dist("exp(400)"), TimeToRepair = Dist("exp(25)") },
            new StationDefinition("pack", Dist("const(1)")) { SetupTime = Dist("const(5)"), SetupEvery = 50 },
        ], [4, 4])
        {
            Crews = 1,
            Shifts = new ShiftCalendar(1440, [(360, 840), (840, 1320)]),
        };
        Write(text, "shifts and calendar-time failures", new ProductionLine(new Doppel.Simulation.Simulation(7), shifts).Run(100_000, 5_000));

        var oven = new LineDefinition(
        [
            new StationDefinition("press", Dist("normal(1.0, 0.1)")) { TimeToFailure = Dist("exp(240)"), TimeToRepair = Dist("exp(12)") },
            new StationDefinition("oven", Dist("normal(0.8, 0.05)")) { Thermal = new ThermalLimit(20, 60, 30, 70, 50), TimeToFailure = Dist("exp(500)"), TimeToRepair = Dist("const(10)") },
            new StationDefinition("pack", Dist("const(0.9)")),
        ], [20, 5]);
        Write(text, "thermal limit with failures", new ProductionLine(new Doppel.Simulation.Simulation(8), oven).Run(20_000, 1_000));

        // A replica stepped through time: what it reports at each step.
        var replica = new ProductionLine(new Doppel.Simulation.Simulation(9), sample, reported);
        replica.Start();
        for (var minute = 7.5; minute <= 600; minute += 37.5)
        {
            replica.AdvanceTo(minute);
            var s = replica.Snapshot();
            text.Append(CultureInfo.InvariantCulture, $"snapshot {R(s.Time)}: buffers [{string.Join(",", s.BufferLevels)}] states [{string.Join(",", s.StationStates)}] ")
                .Append(CultureInfo.InvariantCulture, $"cycles [{string.Join(",", s.CyclesFinished)}] last [{string.Join(",", s.LastCycleTimes.Select(R))}] shipped {s.Shipped} crews {s.CrewsBusy} ")
                .Append(CultureInfo.InvariantCulture, $"temperatures [{string.Join(",", s.Temperatures.Select(t => t is { } v ? R(v) : "-"))}]\n");
        }
        return text.ToString();
    }

    private static void Write(StringBuilder text, string title, LineResult r)
    {
        text.Append(CultureInfo.InvariantCulture, $"{title}: duration {R(r.Duration)} completed {r.Completed} throughput {R(r.Throughput)} wip {R(r.MeanWip)} leadTime {R(r.MeanLeadTime)} bottleneck {r.Bottleneck}\n");
        foreach (var s in r.Stations)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {s.Name}: working {R(s.Working)} down {R(s.Down)} starved {R(s.Starved)} blocked {R(s.Blocked)} processed {s.Processed} good {s.Good} ")
                .Append(CultureInfo.InvariantCulture, $"availability {R(s.Availability)} performance {R(s.Performance)} quality {R(s.Quality)} activePeriod {R(s.MeanActivePeriod)} ")
                .Append(CultureInfo.InvariantCulture, $"failures {s.Failures} setup {R(s.Setup)} maintenance {R(s.Maintenance)} cooling {R(s.Cooling)} trips {s.Trips}\n");
        }
    }

    private static string R(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static Distribution Dist(string text) => Distribution.Parse(text).Value!;

    private static string SourceData()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Doppel.slnx")))
            {
                return Path.Combine(dir.FullName, "tests", "Doppel.Tests", "Data");
            }
        }
        throw new InvalidOperationException("Doppel.slnx not found above " + AppContext.BaseDirectory);
    }
}
