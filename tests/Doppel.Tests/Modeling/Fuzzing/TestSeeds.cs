using Doppel.Cli.Bench.Dtdl;

namespace Doppel.Tests.Modeling.Fuzzing;

/// <summary>
/// The fuzz test's seeds (<see cref="Doppel.Cli.Bench.Dtdl.FuzzSeeds"/>, which <c>doppel bench dtdl</c> uses too): the
/// conformance corpus and the ontology subset copied next to the tests, and the repository's sample models when the
/// sources are there.
/// </summary>
internal static class TestSeeds
{
    public static IReadOnlyList<FuzzSeed> Load()
    {
        string? samples = null;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Doppel.slnx")))
            {
                samples = Cli.Bench.Dtdl.FuzzSeeds.SamplesIn(dir.FullName);
                break;
            }
        }

        return Cli.Bench.Dtdl.FuzzSeeds.Load(DtdlCorpus.Root, ModelData.Shipped("rec-v3-subset"), samples);
    }
}
