using System.Globalization;
using System.Text.RegularExpressions;
using Doppel.IntegrationTests.Support;

namespace Doppel.IntegrationTests;

/// <summary><c>doppel bench health</c> as a user runs it: the speed section against the vendored simglucose peer, and its usage errors.</summary>
public sealed class BenchHealthCliTests
{
    [Fact]
    public async Task Bench_health_times_doppel_beside_simglucose_and_reports_the_largest_BG_difference()
    {
        var run = await DoppelProcess.RunAsync("bench", "health", "--part", "speed", "--days", "0.25", "--patients", "adult#001,child#002");

        Assert.True(run.ExitCode == 0, run.StdErr);
        Assert.Contains("2 patients x 0.25 days", run.StdOut, StringComparison.Ordinal);
        Assert.Contains("| simglucose (Python", run.StdOut, StringComparison.Ordinal);
        Assert.Contains("| Doppel, 1 thread |", run.StdOut, StringComparison.Ordinal);
        Assert.Matches(@"Speed ratio \(1 thread\): \d+x", run.StdOut);
        var difference = Regex.Match(run.StdOut, @"Max \|BG Doppel - simglucose\| over 242 rows: (\S+) mg/dL");
        Assert.True(difference.Success, run.StdOut);
        Assert.True(double.Parse(difference.Groups[1].Value, CultureInfo.InvariantCulture) < 1e-6, difference.Value);
    }

    [Theory]
    [InlineData("--part", "nope", "--part nope: the sections are speed")]
    [InlineData("--patients", "adult#012", "There is no virtual patient 'adult#012' (did you mean 'adult#002'?)")]
    [InlineData("--days", "-1", "--days -1: give a number of days above 0")]
    [InlineData("--sensor-seed", "1.5", "--scenario-seed and --sensor-seed are whole numbers")]
    public async Task Bench_health_refuses_values_it_cannot_use_in_one_line(string option, string value, string message)
    {
        var run = await DoppelProcess.RunAsync("bench", "health", option, value);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.StdErr, StringComparison.Ordinal);
    }
}
