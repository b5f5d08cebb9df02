using System.Globalization;
using System.Text.Json;
using Doppel.Cli.Bench.Dtdl;
using Doppel.Cli.Commands;
using Doppel.IntegrationTests.Support;
using Xunit.Abstractions;

namespace Doppel.IntegrationTests;

/// <summary>
/// A small run of <c>doppel bench dtdl</c>'s differential fuzzing: mutated corpus and sample models parsed by Doppel and
/// by the official parser, with a floor on agreement per DTDL version, on the inputs the official parser accepts and on
/// those it refuses, so that a regression in either direction fails here with its largest groups of disagreements.
/// </summary>
public sealed class DtdlDifferentialTests(ITestOutputHelper output)
{
    private const int Inputs = 2_000;

    /// <summary>Floors per DTDL version (docs/dtdl.md has the figures of long runs and what the remaining groups are).</summary>
    private const double OverallFloor = 0.99;

    private const double AcceptedFloor = 0.97;

    private const double RefusedFloor = 0.99;

    [Fact]
    public async Task Doppel_agrees_with_the_official_parser_on_mutated_models_of_every_DTDL_version()
    {
        var started = await DtdlPeer.StartAsync(Path.Combine(Repository.Root, "tests", "compat"), CancellationToken.None);
        Assert.True(started.IsSuccess, started.Error?.Message);
        await using var peer = started.Value;
        var seeds = FuzzSeeds.Load(FuzzSeeds.CorpusIn(Repository.Root), FuzzSeeds.OntologyIn(Repository.Root), FuzzSeeds.SamplesIn(Repository.Root));

        var report = await DtdlDifferential.RunAsync(peer, seeds, BenchDtdlCommand.DefaultSeed, Inputs, examples: 5, progress: null, CancellationToken.None);

        var lines = report.Versions.Append(report.Total).Select(v => string.Create(CultureInfo.InvariantCulture,
            $"{v.Version}: {v.Inputs} inputs, agree {v.Overall:P2}; official accepts {v.PeerAccepted}, Doppel too {v.OnAccepted:P2}; official refuses {v.PeerRefused}, Doppel too {v.OnRefused:P2}")).ToList();
        var groups = report.Clusters.Take(5).Select(c => $"{c.Count} x {c.Key}: {string.Join(" ", c.Example)} (official: {c.PeerSays}; Doppel: {c.DoppelSays})").ToList();
        foreach (var line in lines.Concat(groups))
        {
            output.WriteLine(line);
        }

        Assert.Equal(Inputs, report.Total.Inputs);
        foreach (var version in new[] { "v2", "v3", "v4" })
        {
            var v = Assert.Single(report.Versions, x => x.Version == version);
            Assert.True(v.PeerAccepted >= 20 && v.PeerRefused >= 20, $"{version}: too few inputs of one verdict to measure ({v.PeerAccepted} accepted, {v.PeerRefused} refused)");
            Assert.True(v.Overall >= OverallFloor && v.OnAccepted >= AcceptedFloor && v.OnRefused >= RefusedFloor,
                $"{version} is below the floors ({OverallFloor:P0} overall, {AcceptedFloor:P0} of accepted, {RefusedFloor:P0} of refused):\n"
                + string.Join("\n", lines) + "\nlargest groups:\n" + string.Join("\n", groups));
        }
    }

    [Fact]
    public async Task Bench_dtdl_prints_agreement_per_version_and_the_groups_of_disagreements()
    {
        var (exit, stdout, stderr) = await DoppelProcess.RunAsync("bench", "dtdl", "--inputs", "300", "--examples", "2", "--json", "--repository", Repository.Root);

        Assert.True(exit == 0, $"exit {exit}: {stdout}\n{stderr}");
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.StartsWith("DTDLParser, Version=1.1.3", root.GetProperty("peer").GetString(), StringComparison.Ordinal);
        Assert.Equal(300, root.GetProperty("inputs").GetInt32());
        var versions = root.GetProperty("versions").EnumerateArray().ToList();
        Assert.Equal("all", versions[^1].GetProperty("version").GetString());
        Assert.Equal(300, versions[^1].GetProperty("inputs").GetInt32());
        Assert.Equal(300, versions.SkipLast(1).Sum(v => v.GetProperty("inputs").GetInt32()));
        foreach (var v in versions)
        {
            Assert.Equal(v.GetProperty("inputs").GetInt32(), v.GetProperty("peerAccepted").GetInt32() + v.GetProperty("peerRefused").GetInt32());
            Assert.InRange(v.GetProperty("bothAccepted").GetInt32(), 0, v.GetProperty("peerAccepted").GetInt32());
            Assert.InRange(v.GetProperty("bothRefused").GetInt32(), 0, v.GetProperty("peerRefused").GetInt32());
        }

        var disagreements = versions[^1].GetProperty("inputs").GetInt32() - versions[^1].GetProperty("agree").GetInt32();
        Assert.Equal(disagreements, root.GetProperty("clusters").EnumerateArray().Sum(c => c.GetProperty("count").GetInt32()));
    }

    [Fact]
    public async Task Bench_dtdl_says_what_to_run_when_the_peer_is_not_installed()
    {
        // A source tree without tests/compat's npm packages: the corpus is there, the official parser is not.
        var tree = Repository.TempFolder();
        File.WriteAllText(Path.Combine(tree, "Doppel.slnx"), "<Solution />");
        var corpus = Path.Combine(tree, "tests", "Doppel.Tests", "Data", "dtdl-conformance", "v3", "top-level");
        Directory.CreateDirectory(corpus);
        File.Copy(Directory.EnumerateFiles(Repository.TestData("dtdl-conformance", "v3", "top-level")).First(), Path.Combine(corpus, "case.json"));
        var compat = Path.Combine(tree, "tests", "compat");
        Directory.CreateDirectory(compat);
        File.Copy(Path.Combine(Repository.Root, "tests", "compat", DtdlPeer.Script), Path.Combine(compat, DtdlPeer.Script));

        var (exit, stdout, stderr) = await DoppelProcess.RunAsync("bench", "dtdl", "--inputs", "10", "--repository", tree);

        Assert.Equal(1, exit);
        Assert.Contains("npm ci in tests/compat", stderr, StringComparison.Ordinal);
        Assert.Contains("eng/test.sh", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stdout + stderr, StringComparison.Ordinal);
    }
}
