using System.Text.Json;

namespace Doppel.Cli.Bench.Dtdl;

/// <summary>
/// The document sets fuzzing starts from: every case of the conformance corpus (valid ones reach deep code, invalid
/// ones sit next to a rule), an ontology's models (each alone and all as one set), and sample models.
/// </summary>
internal static class FuzzSeeds
{
    /// <summary>The corpus of the repository's tests and where, below a repository root, the other seeds live.</summary>
    public static string CorpusIn(string repository) => Path.Combine(repository, "tests", "Doppel.Tests", "Data", "dtdl-conformance");

    public static string OntologyIn(string repository) => Path.Combine(repository, "tests", "Doppel.Tests", "Data", "dtdl", "rec-v3-subset");

    public static string SamplesIn(string repository) => Path.Combine(repository, "samples");

    /// <summary>Seeds from a corpus folder (v2|v3|v4/&lt;rule&gt;/&lt;case&gt;.json), an ontology folder and a samples folder; missing folders contribute nothing.</summary>
    public static IReadOnlyList<FuzzSeed> Load(string corpus, string? ontology, string? samples)
    {
        var seeds = new List<FuzzSeed>();
        foreach (var version in new[] { "v2", "v3", "v4" })
        {
            var folder = Path.Combine(corpus, version);
            if (!Directory.Exists(folder))
            {
                continue;
            }

            foreach (var file in Directory.EnumerateFiles(folder, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                using var json = JsonDocument.Parse(File.ReadAllText(file));
                var root = json.RootElement;
                var texts = root.GetProperty("documents").EnumerateArray().Select(d => d.GetRawText()).ToList();
                var valid = root.GetProperty("valid").GetBoolean() && !root.TryGetProperty("options", out _);
                seeds.Add(FuzzSeed.FromTexts(Path.GetRelativePath(corpus, file).Replace('\\', '/'), texts, valid));
            }
        }

        if (ontology is not null && Directory.Exists(ontology))
        {
            var files = Directory.EnumerateFiles(ontology, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
                .Select(f => (Name: Path.GetRelativePath(ontology, f), Text: File.ReadAllText(f))).ToList();
            seeds.AddRange(files.Select(f => FuzzSeed.FromTexts(f.Name, [f.Text])));
            seeds.Add(FuzzSeed.FromTexts(Path.GetFileName(ontology), files.Select(f => f.Text).ToList(), valid: true));
        }

        if (samples is not null && Directory.Exists(samples))
        {
            foreach (var file in Directory.EnumerateFiles(samples, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var text = File.ReadAllText(file);
                if (text.Contains("dtmi:dtdl:context", StringComparison.Ordinal))
                {
                    seeds.Add(FuzzSeed.FromTexts(Path.GetRelativePath(samples, file).Replace('\\', '/'), [text], valid: true));
                }
            }
        }

        return seeds;
    }
}
