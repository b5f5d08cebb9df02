using System.Text.Json.Nodes;
using Doppel.IntegrationTests.Support;

namespace Doppel.IntegrationTests.Mobility;

/// <summary>
/// <c>doppel traffic run</c> without files runs the city sample the pack carries (so the README's first traffic command
/// works on a fresh clone, from any folder), and files that are not there are named with their role before anything runs.
/// </summary>
public sealed class TrafficRunSampleTests
{
    private static readonly string City = Path.Combine(Repository.Root, "samples", "city");

    [Fact]
    public async Task Traffic_run_without_files_runs_the_shipped_city_sample_as_the_files_in_samples_city()
    {
        // The CLI runs in the tests' output folder, where no samples/city is: the sample comes from the pack itself
        var shipped = await DoppelProcess.RunAsync("traffic", "run", "--end", "3600", "--json");
        var files = await DoppelProcess.RunAsync("traffic", "run", Path.Combine(City, "city.net.xml"), Path.Combine(City, "city.trips.xml"), "--end", "3600", "--json");

        Assert.True(shipped.ExitCode == 0, shipped.StdErr);
        Assert.True(files.ExitCode == 0, files.StdErr);
        Assert.Contains("No network given: running the shipped city sample", shipped.StdErr, StringComparison.Ordinal);
        var fromSample = Statistics(shipped.StdOut);
        var fromFiles = Statistics(files.StdOut);
        Assert.Equal(28626, (int)fromSample["loaded"]!);
        Assert.True((int)fromSample["arrived"]! > 100, shipped.StdOut);
        Assert.Equal(0, (int)fromSample["collisions"]!);
        Assert.Equal(fromFiles.ToJsonString(), fromSample.ToJsonString());
    }

    [Fact]
    public async Task Traffic_run_names_a_missing_network_or_demand_file_with_its_role_and_runs_nothing()
    {
        var folder = Repository.TempFolder();
        var net = Path.Combine(City, "city.net.xml");

        var noNetwork = await DoppelProcess.RunAsync("traffic", "run", Path.Combine(folder, "nowhere.net.xml"), Path.Combine(City, "city.trips.xml"));
        var noDemand = await DoppelProcess.RunAsync("traffic", "run", net, Path.Combine(folder, "nowhere.rou.xml"));
        var networkAlone = await DoppelProcess.RunAsync("traffic", "run", net);
        var aFolder = await DoppelProcess.RunAsync("traffic", "run", net, folder);
        var unknownOption = await DoppelProcess.RunAsync("traffic", "run", "--bogus");

        Assert.Equal(2, noNetwork.ExitCode);
        Assert.Contains("nowhere.net.xml: no such network", noNetwork.StdErr, StringComparison.Ordinal);
        Assert.Equal(2, noDemand.ExitCode);
        Assert.Contains("nowhere.rou.xml: no such demand file", noDemand.StdErr, StringComparison.Ordinal);
        Assert.Equal(2, networkAlone.ExitCode);
        Assert.Contains("a network needs its demand", networkAlone.StdErr, StringComparison.Ordinal);
        Assert.Equal(2, aFolder.ExitCode);
        Assert.Contains("is a folder, not a demand file", aFolder.StdErr, StringComparison.Ordinal);
        Assert.Equal(2, unknownOption.ExitCode);
        Assert.Contains("--bogus: unknown option", unknownOption.StdErr, StringComparison.Ordinal);
        foreach (var (_, stdout, stderr) in new[] { noNetwork, noDemand, networkAlone, aFolder, unknownOption })
        {
            Assert.DoesNotContain("Statistics", stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        }
        Assert.Empty(Directory.GetFileSystemEntries(folder));
        Directory.Delete(folder, recursive: true);
    }

    /// <summary>The run's statistics without the timing, which differs from run to run.</summary>
    private static JsonObject Statistics(string json)
    {
        var stats = JsonNode.Parse(json)!.AsObject();
        stats.Remove("elapsedSeconds");
        stats.Remove("updatesPerSecond");
        return stats;
    }
}
