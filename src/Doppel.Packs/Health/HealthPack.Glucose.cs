using System.Diagnostics;
using System.Globalization;
using Doppel.Packs.Health.Glucose;

namespace Doppel.Packs.Health;

public sealed partial class HealthPack
{
    private const string SpeedPart = "speed";

    /// <summary>
    /// A section of <c>doppel bench health</c>: its name (what <c>--part</c> selects), the options it reads (added to the
    /// benchmark's, so names must not clash) and what it runs. The sections run in the order they are added.
    /// </summary>
    internal sealed record BenchPart(string Name, string Description, IReadOnlyList<VerbOption> Options, VerbAction Run);

    /// <summary>The trial tables of <c>doppel bench health</c> (HealthPack.Trials.cs): adds its section(s) after the speed comparison.</summary>
    partial void AddGlucoseTrialBenchmark(List<BenchPart> parts);

    partial void RegisterGlucose(PackBuilder pack)
    {
        var parts = new List<BenchPart> { SpeedComparison() };
        AddGlucoseTrialBenchmark(parts);
        var names = string.Join('|', parts.Select(p => p.Name));
        pack.AddBenchmark(new PackVerb(
            "health",
            "The health pack end to end: the UVA/Padova simulator beside simglucose (speed and agreement), then the sections the pack adds (trial tables).",
            (context, ct) => RunBenchAsync(parts, context, ct))
        {
            Options = [new VerbOption("part", $"Which section to run: {names} or all.", VerbValue.Text) { Default = "all" }, .. parts.SelectMany(p => p.Options)],
        });
    }

    private static async Task<VerbResult> RunBenchAsync(IReadOnlyList<BenchPart> parts, VerbContext context, CancellationToken ct)
    {
        var part = (context.Text("part") ?? "all").Trim();
        var selected = part == "all" ? parts : parts.Where(p => p.Name == part).ToArray();
        if (selected.Count == 0)
        {
            return VerbResult.Usage($"--part {part}: the sections are {string.Join(", ", parts.Select(p => p.Name))} and all.");
        }
        foreach (var section in selected)
        {
            var result = await section.Run(context, ct);
            if (result.Outcome != VerbOutcome.Succeeded)
            {
                return result;
            }
        }
        return VerbResult.Ok;
    }

    /// <summary>simglucose (Python) and Doppel on the same patients, days, scenario, sensor, pump and controller, in one run: wall times, the speed ratio, the largest differences.</summary>
    private static BenchPart SpeedComparison() => new(
        SpeedPart,
        "30 patients x 10 days in simglucose and in Doppel: wall times, speed ratio, largest BG difference.",
        [
            new VerbOption("days", "Simulated days per patient.", VerbValue.Number) { Default = "10" },
            new VerbOption("patients", "Patients: names or groups (all, adults, adolescents, children), comma-separated.", VerbValue.Text) { Default = "all" },
            new VerbOption("scenario-seed", "The random meal scenario's seed (numpy's RandomState).", VerbValue.Number) { Default = "1" },
            new VerbOption("sensor-seed", "The CGM sensor's noise seed.", VerbValue.Number) { Default = "1" },
            new VerbOption("peer", "The simglucose peer's folder (default: tests/peers/simglucose above the current directory).", VerbValue.Text),
            new VerbOption("python", "The Python that runs simglucose (with numpy, scipy, pandas, matplotlib).", VerbValue.Text) { Default = "/usr/bin/python3" },
            new VerbOption("out", "Keep both runs' CSVs in this folder (simglucose/ and doppel/); default: a temporary folder, deleted.", VerbValue.Text),
        ],
        (context, ct) => Task.Run(() => RunSpeed(context, ct), ct));

    private static VerbResult RunSpeed(VerbContext context, CancellationToken ct)
    {
        var days = context.Number("days") ?? 10;
        if (!(days > 0 && days <= 3650))
        {
            return VerbResult.Usage($"--days {days}: give a number of days above 0 (at most 3650).");
        }
        if (!TrySeed(context.Number("scenario-seed") ?? 1, out var scenarioSeed) || !TrySeed(context.Number("sensor-seed") ?? 1, out var sensorSeed))
        {
            return VerbResult.Usage("--scenario-seed and --sensor-seed are whole numbers from 0 to 4294967295 (numpy's seeds).");
        }
        var patients = PatientParameters.Select(context.Text("patients") ?? "all");
        if (!patients.IsSuccess)
        {
            return VerbResult.Usage($"--patients: {patients.Error.Message}");
        }
        var peer = SimglucosePeer.Locate(context.Text("peer"), context.Text("python") ?? "/usr/bin/python3");
        if (!peer.IsSuccess)
        {
            return VerbResult.Failed(peer.Error.Message);
        }
        var run = new SimglucoseRun(patients.Value, TimeSpan.FromDays(days), new DateTime(2018, 1, 1, 0, 0, 0, DateTimeKind.Unspecified))
        {
            ScenarioSeed = scenarioSeed,
            SensorSeed = sensorSeed,
        };
        var keep = context.Text("out");
        var folder = keep is not null ? Path.GetFullPath(keep) : Directory.CreateTempSubdirectory("doppel-bench-health-").FullName;
        try
        {
            var output = context.Out;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"UVA/Padova T1D, simglucose's loop: {run.Patients.Count} patients x {days:0.##} days from {run.Start:yyyy-MM-dd HH:mm}, RandomScenario seed {run.ScenarioSeed}, {run.Sensor} seed {run.SensorSeed}, {run.Pump}, basal-bolus (target {run.Target})"));

            // Warm-up (not measured): one patient-day, so that the timing is of the simulation, not of the JIT.
            _ = (run with { Patients = [run.Patients[0]], Duration = TimeSpan.FromDays(1) }).RunDoppel(1, ct);

            var clock = Stopwatch.StartNew();
            var serial = run.RunDoppel(1, ct);
            var serialSeconds = clock.Elapsed.TotalSeconds;
            clock.Restart();
            var threads = Environment.ProcessorCount;
            _ = run.RunDoppel(threads, ct);
            var parallelSeconds = clock.Elapsed.TotalSeconds;
            var doppel = serial.Value!;

            context.Error.WriteLine($"Running simglucose ({peer.Value.Python} {Path.Combine(peer.Value.Folder, "run_cohort.py")}); it takes about 2 s per patient-day...");
            var python = peer.Value.Run(run, Path.Combine(folder, "simglucose"), ct);
            if (!python.IsSuccess)
            {
                return VerbResult.Failed(python.Error.Message);
            }
            if (keep is not null)
            {
                var own = Directory.CreateDirectory(Path.Combine(folder, "doppel"));
                foreach (var trace in doppel)
                {
                    using var writer = new StreamWriter(Path.Combine(own.FullName, trace.Patient.Replace('#', '_') + ".csv"));
                    trace.WriteCsv(writer);
                }
            }

            var (rows, bg, cgm, worstPatient, mismatch) = Compare(python.Value.Traces, doppel);
            if (mismatch is not null)
            {
                return VerbResult.Failed(mismatch);
            }
            var pythonSeconds = python.Value.WallSeconds;
            var patientDays = run.Patients.Count * days;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| run | wall (s) | per patient-day (ms) | speed-up |"));
            output.WriteLine("|---|---:|---:|---:|");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| simglucose (Python {PythonVersion(peer.Value)}, scipy dopri5) | {pythonSeconds:F2} | {pythonSeconds * 1000 / patientDays:F1} | 1 |"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| Doppel, 1 thread | {serialSeconds:F3} | {serialSeconds * 1000 / patientDays:F2} | {pythonSeconds / serialSeconds:F0}x |"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| Doppel, {threads} threads | {parallelSeconds:F3} | {parallelSeconds * 1000 / patientDays:F2} | {pythonSeconds / parallelSeconds:F0}x |"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Speed ratio (1 thread): {pythonSeconds / serialSeconds:F0}x (goal >= 100x). Max |BG Doppel - simglucose| over {rows} rows: {bg:E2} mg/dL ({worstPatient}); max |CGM difference|: {cgm:E2} mg/dL (goal: BG within 0.1)."));
            if (keep is not null)
            {
                output.WriteLine($"CSVs: {Path.Combine(folder, "simglucose")} and {Path.Combine(folder, "doppel")}");
            }
            return bg < 0.1 ? VerbResult.Ok : VerbResult.Failed($"BG differs from simglucose by {bg} mg/dL ({worstPatient}), more than 0.1.");
        }
        finally
        {
            if (keep is null)
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static (long Rows, double Bg, double Cgm, string WorstPatient, string? Mismatch) Compare(IReadOnlyList<GlucoseTrace> python, IReadOnlyList<GlucoseTrace> doppel)
    {
        long rows = 0;
        double bg = 0, cgm = 0;
        var worst = "";
        for (var p = 0; p < python.Count; p++)
        {
            var (expected, actual) = (python[p].Rows, doppel[p].Rows);
            if (expected.Count != actual.Count)
            {
                return (rows, bg, cgm, worst, $"{python[p].Patient}: simglucose has {expected.Count} rows, Doppel {actual.Count}.");
            }
            for (var i = 0; i < expected.Count; i++)
            {
                var difference = Math.Abs(expected[i].Bg - actual[i].Bg);
                if (!(difference <= bg))
                {
                    (bg, worst) = (difference, $"{python[p].Patient} at {expected[i].Time:yyyy-MM-dd HH:mm}");
                }
                cgm = Math.Max(cgm, Math.Abs(expected[i].Cgm - actual[i].Cgm));
                rows++;
            }
        }
        return (rows, bg, cgm, worst, null);
    }

    private static bool TrySeed(double value, out uint seed)
    {
        seed = 0;
        if (value < 0 || value > uint.MaxValue || value != Math.Floor(value))
        {
            return false;
        }
        seed = (uint)value;
        return true;
    }

    private static string PythonVersion(SimglucosePeer peer)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(peer.Python, "--version") { RedirectStandardOutput = true, UseShellExecute = false });
            var text = process?.StandardOutput.ReadToEnd().Trim() ?? "";
            process?.WaitForExit();
            return text.Replace("Python ", "", StringComparison.Ordinal);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "?";
        }
    }
}
