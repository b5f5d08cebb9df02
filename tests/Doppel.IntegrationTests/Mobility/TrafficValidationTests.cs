using System.Diagnostics;
using Doppel.IntegrationTests.Support;
using Doppel.Packs.Mobility.Sumo;
using Doppel.Packs.Mobility.Validation;

namespace Doppel.IntegrationTests.Mobility;

/// <summary>
/// Doppel's traffic simulator beside SUMO 1.15 on a small scenario SUMO's tools generated (Data/SOURCE.md): both run
/// here, on the same files, seed and step, and the issue's criteria are asserted one by one, so a simulator that drifts
/// from SUMO fails with the criterion it breaks.
/// </summary>
public sealed class TrafficValidationTests
{
    private static readonly string Data = Path.Combine(Repository.Root, "tests", "Doppel.IntegrationTests", "Mobility", "Data");

    private static readonly ScenarioFiles Grid = new(Path.Combine(Data, "grid4.net.xml"), Path.Combine(Data, "grid4.rou.xml"));

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.5)]
    public async Task Doppel_agrees_with_SUMO_on_a_signalised_grid(double step)
    {
        var sumo = SumoPeer.Find();
        Assert.True(sumo.IsSuccess, sumo.Error?.Message);
        var output = Repository.TempFolder();

        var comparison = await new TrafficComparer(sumo.Value).CompareAsync("grid4", Grid, new ComparisonOptions { StepLength = step }, output);

        Assert.True(comparison.IsSuccess, comparison.Error?.Message);
        var c = comparison.Value;
        Assert.Equal(400, c.SumoArrived);
        Assert.Equal(c.SumoArrived, c.DoppelArrived);
        Assert.True(c.Duration.Passes(0.05), $"mean duration {c.Duration}");
        Assert.True(c.WaitingTime.Passes(0.05), $"mean waitingTime {c.WaitingTime}");
        Assert.True(c.TimeLoss.Passes(0.05), $"mean timeLoss {c.TimeLoss}");
        Assert.True(c.Durations.PValue >= 0.05, $"KS on durations: {c.Durations}");
        Assert.True(c.DoppelCollisions == 0, $"{c.DoppelCollisions} collisions");
        Assert.True(c.DoppelTeleports <= c.SumoTeleports, $"{c.DoppelTeleports} teleports, SUMO {c.SumoTeleports}");
        Assert.True(File.Exists(Path.Combine(output, "doppel-tripinfo.xml")));
    }

    [Fact]
    public async Task Traffic_compare_prints_the_table_and_its_exit_code_says_whether_the_criteria_hold()
    {
        var run = await DoppelProcess.RunAsync("traffic", "compare", "--net", Grid.NetFile, "--routes", Grid.RoutesFile, "--baseline");

        Assert.Contains("| scenario | arrived D/S | duration D / S (Δ) |", run.StdOut, StringComparison.Ordinal);
        Assert.Contains("| grid4.rou.xml | 400/400 |", run.StdOut, StringComparison.Ordinal);
        Assert.Contains("| grid4.rou.xml (SUMO seed+1 vs SUMO) | 400/400 |", run.StdOut, StringComparison.Ordinal);
        var passed = run.StdOut.Contains("All 1 scenarios agree with SUMO.", StringComparison.Ordinal);
        Assert.Equal(passed ? 0 : 1, run.ExitCode);
        if (!passed)
        {
            Assert.Contains("1 of 1 scenarios fail the criteria (grid4.rou.xml)", run.StdErr, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("   at ", run.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Traffic_compare_with_several_seeds_pools_each_simulators_runs_and_its_baseline_takes_as_many_other_seeds()
    {
        var work = Repository.TempFolder();

        var run = await DoppelProcess.RunAsync("traffic", "compare", "--net", Grid.NetFile, "--routes", Grid.RoutesFile, "--seeds", "2", "--baseline", "--work", work);

        Assert.True(run.ExitCode is 0 or 1, run.StdErr);
        Assert.Contains("seeds 42..43 (2 runs of each simulator, their trips pooled)", run.StdOut, StringComparison.Ordinal);
        Assert.Matches(@"\| grid4\.rou\.xml \| 800/800 \| .* \| 42\.\.43 / 42\.\.43 \| (pass|FAIL) \|", run.StdOut);
        Assert.Matches(@"\| grid4\.rou\.xml \(SUMO seed\+2 vs SUMO\) \| 800/800 \| .* \| 44\.\.45 / 42\.\.43 \| \((pass|fail)\) \|", run.StdOut);
        foreach (var seed in new[] { 42, 43 })
        {
            var doppel = File.ReadAllText(Path.Combine(work, "grid4.rou.xml", "out", $"seed-{seed}", "doppel-tripinfo.xml"));
            var sumo = File.ReadAllText(Path.Combine(work, "grid4.rou.xml", "out", $"seed-{seed}", "tripinfo.xml"));
            Assert.Equal(400, doppel.Split("<tripinfo ").Length - 1);
            Assert.Equal(400, sumo.Split("<tripinfo ").Length - 1);
        }
        // The two seeds are two runs, not one run twice.
        Assert.NotEqual(File.ReadAllText(Path.Combine(work, "grid4.rou.xml", "out", "seed-42", "doppel-tripinfo.xml")),
            File.ReadAllText(Path.Combine(work, "grid4.rou.xml", "out", "seed-43", "doppel-tripinfo.xml")));
        Assert.True(File.Exists(Path.Combine(work, "grid4.rou.xml", "sumo-b", "seed-45", "tripinfo.xml")));
    }

    [Fact]
    public async Task Bench_traffic_times_SUMO_and_Doppel_on_the_same_files()
    {
        var run = await DoppelProcess.RunAsync("bench", "traffic", "--net", Grid.NetFile, "--routes", Grid.RoutesFile, "--repeats", "1", "--threads", "1,2");

        Assert.True(run.ExitCode == 0, run.StdErr);
        Assert.Contains("| scenario | SUMO updates | SUMO updates/s | Doppel 1 thread updates/s (× SUMO) | Doppel 2 threads updates/s (× SUMO) | Doppel updates |", run.StdOut, StringComparison.Ordinal);
        Assert.Matches(@"\| grid4\.rou\.xml \| [\d,]+ \| [\d,]+ \| [\d,]+ \(\d+\.\d\d×\) \| [\d,]+ \(\d+\.\d\d×\) \| [\d,]+ \|", run.StdOut);
        // Thread scaling means little on a loaded machine: the header says how loaded it was.
        Assert.Matches(OperatingSystem.IsLinux() ? @"\d+ cores, load average \d+\.\d+ \d+\.\d+ \d+\.\d+\." : @"\d+ cores", run.StdOut);
    }

    [Theory]
    [InlineData(new[] { "--scenario", "nope" }, "--scenario nope: no such scenario; they are grid10x10-5k")]
    [InlineData(new[] { "--net", "x.net.xml" }, "--net and --routes go together")]
    [InlineData(new[] { "--step", "2" }, "--step 2: 1 or 0.5 (seconds).")]
    [InlineData(new[] { "--threads", "0" }, "--threads: a whole number from 1 to 64.")]
    [InlineData(new[] { "--seeds", "0" }, "--seeds 0: a whole number from 1 to 100.")]
    public async Task Traffic_compare_refuses_values_it_cannot_use_in_one_line(string[] options, string message)
    {
        var run = await DoppelProcess.RunAsync(["traffic", "compare", .. options]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_network_file_is_a_clear_failure()
    {
        var run = await DoppelProcess.RunAsync("traffic", "compare", "--net", "/nonexistent/x.net.xml", "--routes", Grid.RoutesFile);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("/nonexistent/x.net.xml does not exist", run.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_SUMO_the_comparison_says_how_to_install_it()
    {
        var dotnet = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(d => Path.Combine(d, "dotnet")).First(File.Exists);
        var info = new ProcessStartInfo(dotnet) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { DoppelProcess.CliPath, "traffic", "compare", "--net", Grid.NetFile, "--routes", Grid.RoutesFile })
        {
            info.ArgumentList.Add(argument);
        }
        info.Environment["PATH"] = Repository.TempFolder(); // an empty PATH: no sumo
        info.Environment["SUMO_HOME"] = Repository.TempFolder();
        using var process = Process.Start(info)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(1, process.ExitCode);
        Assert.Contains("SUMO is not installed", stderr, StringComparison.Ordinal);
        Assert.Contains("install Debian's sumo and sumo-tools", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generated_scenarios_are_the_same_every_time()
    {
        var scenario = TrafficScenario.All.Single(s => s.Name == "spider-priority-light");
        var (first, second) = (Repository.TempFolder(), Repository.TempFolder());

        var a = await scenario.PrepareAsync("", first);
        var b = await scenario.PrepareAsync("", second);

        Assert.True(a.IsSuccess, a.Error?.Message);
        Assert.True(b.IsSuccess, b.Error?.Message);
        Assert.Equal(WithoutComments(a.Value.NetFile), WithoutComments(b.Value.NetFile));
        Assert.Equal(WithoutComments(a.Value.RoutesFile), WithoutComments(b.Value.RoutesFile));
        Assert.Contains("<vehicle id=\"v599\"", File.ReadAllText(a.Value.RoutesFile), StringComparison.Ordinal);
    }

    // SUMO's tools put the date into a header comment.
    private static string WithoutComments(string path) => System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(path), "<!--.*?-->", "", System.Text.RegularExpressions.RegexOptions.Singleline);
}
