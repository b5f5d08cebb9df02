using Doppel.IntegrationTests.Support;

namespace Doppel.IntegrationTests.Bench;

/// <summary>doppel bench rul on the C-MAPSS FD001 slice the unit tests ship (the full sets are in ../shared/data/cmapss).</summary>
public sealed class BenchRulCommandTests
{
    [Fact]
    public async Task Bench_rul_prints_our_rows_beside_the_published_ones_and_says_the_truth_is_uncapped()
    {
        var details = Path.Combine(Repository.TempFolder(), "units.csv");

        var (code, stdout, stderr) = await DoppelProcess.RunAsync("bench", "rul", "--data", Repository.TestData("cmapss"), "--subsets", "FD001", "--seeds", "1", "--kind", "gbt", "--details", details);

        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("UNCAPPED", stdout, StringComparison.Ordinal);
        Assert.Matches(@"FD001\s+Doppel gbt\s+\d+\.\d\d ± 0\.00\s+\d+\.\d ± 0\.0\s+\d+\.\d %", stdout);
        Assert.Matches(@"FD001\s+published MTSTAN\s+10\.97\s+175\.4", stdout);
        Assert.Matches(@"FD001\s+published DCNN \(Li et al\. 2018\)\s+12\.61", stdout);
        var lines = File.ReadAllLines(details);
        Assert.Equal("subset,seed,model,unit,truth,rul,lower,upper", lines[0]);
        Assert.Equal(41, lines.Length);
    }

    [Fact]
    public async Task Bench_rul_refuses_an_unknown_subset_or_a_folder_without_the_files()
    {
        var (code, _, stderr) = await DoppelProcess.RunAsync("bench", "rul", "--data", Repository.TestData("cmapss"), "--subsets", "FD007");
        var (missingCode, _, missingErr) = await DoppelProcess.RunAsync("bench", "rul", "--data", Repository.TempFolder(), "--subsets", "FD001", "--kind", "gbt");

        Assert.Equal(2, code);
        Assert.Contains("--subsets takes FD001, FD002, FD003, FD004", stderr, StringComparison.Ordinal);
        Assert.Equal(1, missingCode);
        Assert.Contains("train_FD001.txt", missingErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", missingErr, StringComparison.Ordinal);
    }
}
