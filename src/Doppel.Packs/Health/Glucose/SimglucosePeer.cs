using System.Diagnostics;
using System.Globalization;

namespace Doppel.Packs.Health.Glucose;

/// <summary>
/// simglucose itself, the peer Doppel's simulator is checked and timed against: its Python source with the runner
/// <c>run_cohort.py</c> (vendored under <c>tests/peers/simglucose</c>), run by Debian's Python with numpy, scipy, pandas
/// and matplotlib.
/// </summary>
public sealed class SimglucosePeer
{
    private const string Runner = "run_cohort.py";

    private SimglucosePeer(string folder, string python) => (Folder, Python) = (folder, python);

    /// <summary>The folder holding <c>run_cohort.py</c> and <c>simglucose/</c>.</summary>
    public string Folder { get; }

    /// <summary>The Python interpreter.</summary>
    public string Python { get; }

    /// <summary>
    /// The peer in <paramref name="folder"/>, or else the first <c>tests/peers/simglucose</c> above the current directory
    /// or this program; an error says what is missing (the folder, or Python's packages and how to install them).
    /// </summary>
    public static Result<SimglucosePeer> Locate(string? folder = null, string python = "/usr/bin/python3")
    {
        var candidates = folder is not null
            ? [Path.GetFullPath(folder)]
            : Ancestors(Environment.CurrentDirectory).Concat(Ancestors(AppContext.BaseDirectory)).Select(d => Path.Combine(d, "tests", "peers", "simglucose"));
        var found = candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, Runner)));
        if (found is null)
        {
            return new DoppelError("peer-missing", folder is not null
                ? $"'{folder}' holds no {Runner}: give the simglucose peer's folder (tests/peers/simglucose in Doppel's repository)."
                : $"The simglucose peer (tests/peers/simglucose/{Runner}) is not above the current directory: run from Doppel's repository or give its folder with --peer.");
        }
        var check = Execute(python, ["-c", "import numpy, scipy, pandas, matplotlib, pkg_resources"], found, CancellationToken.None);
        if (check.ExitCode != 0)
        {
            return new DoppelError("peer-python", $"{python} cannot run simglucose ({check.Error.Trim()}): install Debian's python3-numpy python3-scipy python3-pandas python3-matplotlib python3-pkg-resources (eng/test.sh does).");
        }
        return Result<SimglucosePeer>.Ok(new SimglucosePeer(found, python));
    }

    /// <summary>Runs simglucose on <paramref name="run"/>, writing into <paramref name="outputFolder"/>; the traces in the run's patient order and simglucose's own wall time for the loop (seconds).</summary>
    public Result<(IReadOnlyList<GlucoseTrace> Traces, double WallSeconds)> Run(SimglucoseRun run, string outputFolder, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        Directory.CreateDirectory(outputFolder);
        var arguments = new List<string>
        {
            Runner,
            "--patients", string.Join(',', run.Patients.Select(p => p.Name)),
            "--days", run.Duration.TotalDays.ToString("R", CultureInfo.InvariantCulture),
            "--start", run.Start.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture),
            "--scenario-seed", run.ScenarioSeed.ToString(CultureInfo.InvariantCulture),
            "--sensor", run.Sensor,
            "--sensor-seed", run.SensorSeed.ToString(CultureInfo.InvariantCulture),
            "--pump", run.Pump,
            "--target", run.Target.ToString("R", CultureInfo.InvariantCulture),
            "--out", Path.GetFullPath(outputFolder),
        };
        var result = Execute(Python, arguments, Folder, ct);
        if (result.ExitCode != 0)
        {
            return new DoppelError("peer-failed", $"simglucose's {Runner} exited with {result.ExitCode}: {Tail(result.Error)}");
        }
        var timing = result.Output.Split('\n').FirstOrDefault(l => l.StartsWith("TIMING ", StringComparison.Ordinal));
        var wall = timing?.Split(' ').FirstOrDefault(w => w.StartsWith("wall_s=", StringComparison.Ordinal)) is { } w
            && double.TryParse(w["wall_s=".Length..], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) ? seconds : double.NaN;
        var traces = new List<GlucoseTrace>();
        foreach (var patient in run.Patients)
        {
            var file = Path.Combine(outputFolder, patient.Name.Replace('#', '_') + ".csv");
            if (!File.Exists(file))
            {
                return new DoppelError("peer-failed", $"simglucose wrote no {file}.");
            }
            using var reader = new StreamReader(file);
            var trace = GlucoseTrace.ReadCsv(reader, patient.Name);
            if (!trace.IsSuccess)
            {
                return new DoppelError("peer-failed", $"{file}: {trace.Error.Message}");
            }
            traces.Add(trace.Value);
        }
        return Result<(IReadOnlyList<GlucoseTrace>, double)>.Ok((traces, wall));
    }

    private static IEnumerable<string> Ancestors(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            yield return dir.FullName;
        }
    }

    private static string Tail(string text)
    {
        var lines = text.Trim().Split('\n');
        return string.Join('\n', lines.Skip(Math.Max(0, lines.Length - 5)));
    }

    private static (int ExitCode, string Output, string Error) Execute(string program, IEnumerable<string> arguments, string folder, CancellationToken ct)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        start.Environment["MPLBACKEND"] = "Agg";
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, "", $"{program} cannot be run: {e.Message}");
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync(ct);
            var error = process.StandardError.ReadToEndAsync(ct);
            using var kill = ct.Register(() =>
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // It has exited already.
                }
            });
            process.WaitForExit();
            ct.ThrowIfCancellationRequested();
            return (process.ExitCode, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult());
        }
    }
}
