using System.CommandLine;
using Doppel.Cli.Commands;
using Doppel.Packs;

namespace Doppel.Tests.Packs;

/// <summary>A pack's benchmark on the command line: <c>doppel bench NAME</c>, unless a built-in benchmark has the name.</summary>
public sealed class PackBenchmarkCommandTests
{
    [Fact]
    public async Task A_packs_benchmark_runs_as_doppel_bench_name_and_a_built_in_name_keeps_its_built_in()
    {
        var ran = new List<double?>();
        var timed = new PackVerb("timed", "Times something.", (context, _) =>
        {
            ran.Add(context.Number("rounds"));
            return Task.FromResult(VerbResult.Ok);
        })
        {
            Options = [new VerbOption("rounds", "How many.", VerbValue.Number) { Default = "3" }],
        };
        var clashing = new PackVerb("nab", "Not NAB.", (_, _) => Task.FromResult(VerbResult.Failed("the pack's nab ran")));
        var root = DoppelCommand.Create(PackCatalog.Create([new BenchPack(timed, clashing)]));

        var bench = root.Subcommands.Single(c => c.Name == "bench");
        Assert.Contains(bench.Subcommands, c => c.Name == "timed" && c.Description!.Contains("(pack benches)", StringComparison.Ordinal));
        var nab = Assert.Single(bench.Subcommands, c => c.Name == "nab");
        Assert.DoesNotContain("Not NAB", nab.Description, StringComparison.Ordinal);

        Assert.Equal(0, await root.Parse(["bench", "timed", "--rounds", "7"]).InvokeAsync());
        Assert.Equal([7.0], ran);
    }

    private sealed class BenchPack(params PackVerb[] benchmarks) : IPack
    {
        public string Name => "benches";

        public string Description => "Adds benchmarks.";

        public void Register(PackBuilder pack)
        {
            foreach (var benchmark in benchmarks)
            {
                pack.AddBenchmark(benchmark);
            }
        }
    }
}
