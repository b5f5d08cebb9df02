using Doppel.IntegrationTests.Support;

namespace Doppel.IntegrationTests.Health;

/// <summary><c>doppel trial glucose</c>, the real command: progress, the tables, the CSV of runs and the PNG.</summary>
public sealed class TrialGlucoseCommandTests
{
    [Fact]
    public async Task Trial_glucose_prints_arms_comparisons_and_the_target_and_writes_runs_and_a_plot()
    {
        var folder = Repository.TempFolder();
        var csv = Path.Combine(folder, "runs.csv");
        var png = Path.Combine(folder, "trial.png");

        var (code, stdout, stderr) = await DoppelProcess.RunAsync("trial", "glucose", "--cohorts", "adults,children", "--patients", "1",
            "--days", "0.25", "--replications", "2", "--seed", "5", "--csv", csv, "--plot", png);

        Assert.True(code == 0, stderr + stdout);
        Assert.Matches(@"trial: 12/12 runs", stderr);
        Assert.Contains("adults, random meals:", stdout, StringComparison.Ordinal);
        Assert.Contains("children, random meals:", stdout, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^basal-bolus\s+\d+(\.\d+)? ± \d", stdout);
        Assert.Matches(@"(?m)^mpc\s+\d+(\.\d+)? ± \d", stdout);
        Assert.Matches(@"(?m)^adults\s+random\s+pid\s+[+-]\d", stdout);
        Assert.Contains("Control target (TIR >= 80%, <70 below 4%, <54 below 1%)", stdout, StringComparison.Ordinal);
        var lines = File.ReadAllLines(csv);
        Assert.StartsWith("cohort,patient,scenario,controller,replication,meal_seed,sensor_seed,tir,", lines[0], StringComparison.Ordinal);
        Assert.Equal(13, lines.Length);
        var header = new byte[8];
        await using (var image = File.OpenRead(png))
        {
            Assert.Equal(8, await image.ReadAsync(header));
        }
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, header);
    }

    [Fact]
    public async Task Trial_glucose_with_a_custom_day_of_meals_runs_it_every_day()
    {
        var (code, stdout, stderr) = await DoppelProcess.RunAsync("trial", "glucose", "--cohorts", "adolescents", "--patients", "1", "--controllers", "basal-bolus,pid",
            "--scenario", "custom", "--meals", "7:45,12.5:70", "--days", "0.6", "--replications", "1");

        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("adolescents, custom meals:", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_health_trials_prints_the_protocol_the_tables_and_the_target_per_cohort()
    {
        var (code, stdout, stderr) = await DoppelProcess.RunAsync("bench", "health", "--part", "trials", "--trial-patients", "1", "--trial-days", "0.25", "--trial-replications", "2");

        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("Protocol: the PID and MPC settings were tuned on patients #001-#003", stdout, StringComparison.Ordinal);
        Assert.Contains("adults (1), adolescents (1), children (1) × random × basal-bolus, pid, mpc", stdout, StringComparison.Ordinal);
        Assert.Matches(@"  mpc: adults (met|missed), adolescents (met|missed), children (met|missed)", stdout);
        Assert.DoesNotContain("Speed ratio", stdout, StringComparison.Ordinal);

        var refused = await DoppelProcess.RunAsync("bench", "health", "--part", "trials", "--trial-patients", "11");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("--trial-patients a whole number 1 to 10 (not 11)", refused.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Trial_glucose_refuses_values_it_cannot_use_and_says_which()
    {
        var (code, stdout, stderr) = await DoppelProcess.RunAsync("trial", "glucose", "--cohorts", "adults,elders", "--controllers", "mpc,lqr", "--days", "0", "--scenario", "custom");

        Assert.Equal(2, code);
        Assert.Contains("there is no cohort 'elders'", stderr, StringComparison.Ordinal);
        Assert.Contains("there is no controller 'lqr'", stderr, StringComparison.Ordinal);
        Assert.Contains("--days must be above 0", stderr, StringComparison.Ordinal);
        Assert.Contains("--scenario custom needs --meals", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.Equal("", stdout);
    }
}
