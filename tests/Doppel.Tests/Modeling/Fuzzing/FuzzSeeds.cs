using System.Text.Json;

namespace Doppel.Tests.Modeling.Fuzzing;

/// <summary>
/// The document sets fuzzing starts from: every case of the conformance corpus (valid ones reach deep code, invalid
/// ones sit next to a rule), the shipped ontology subset, and the repository's sample models when the sources are there.
/// </summary>
internal static class FuzzSeeds
{
    public static IReadOnlyList<FuzzSeed> Load()
    {
        var seeds = new List<FuzzSeed>();
        foreach (var version in DtdlCorpus.Versions)
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(DtdlCorpus.Root, version), "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                using var json = JsonDocument.Parse(File.ReadAllText(file));
                var texts = json.RootElement.GetProperty("documents").EnumerateArray().Select(d => d.GetRawText()).ToList();
                seeds.Add(FuzzSeed.FromTexts(Path.GetRelativePath(DtdlCorpus.Root, file), texts));
            }
        }

        var ontology = ModelData.Shipped("rec-v3-subset");
        if (Directory.Exists(ontology))
        {
            var documents = ModelData.Load(ontology);
            seeds.AddRange(documents.Select(d => FuzzSeed.FromTexts(d.Name, [d.Json])));
            seeds.Add(FuzzSeed.FromTexts("rec-v3-subset", documents.Select(d => d.Json).ToList()));
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var samples = Path.Combine(dir.FullName, "samples");
            if (File.Exists(Path.Combine(dir.FullName, "Doppel.slnx")) && Directory.Exists(samples))
            {
                foreach (var file in Directory.EnumerateFiles(samples, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                {
                    var text = File.ReadAllText(file);
                    if (text.Contains("dtmi:dtdl:context", StringComparison.Ordinal))
                    {
                        seeds.Add(FuzzSeed.FromTexts(Path.GetRelativePath(dir.FullName, file), [text]));
                    }
                }

                break;
            }
        }

        return seeds;
    }
}
