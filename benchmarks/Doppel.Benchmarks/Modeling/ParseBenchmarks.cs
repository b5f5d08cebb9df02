using BenchmarkDotNet.Attributes;
using Doppel.Modeling;

namespace Doppel.Benchmarks.Modeling;

/// <summary>Parses the whole RealEstateCore v3 ontology (767 interfaces) as one set; the budget is 500 ms.</summary>
[MemoryDiagnoser]
public class ParseBenchmarks
{
    private List<ModelDocument> _documents = [];

    [GlobalSetup]
    public void Setup()
    {
        var folder = Path.Combine(OntologyRoot(), "building-rec-v3");
        _documents = Directory.EnumerateFiles(folder, "*.json", SearchOption.AllDirectories)
            .Select(f => new ModelDocument(f, File.ReadAllText(f)))
            .ToList();
    }

    /// <summary>The peer: System.Text.Json reading the same documents, the floor any DTDL parser stands on.</summary>
    [Benchmark(Baseline = true)]
    public int JsonDocumentOnly()
    {
        var count = 0;
        foreach (var document in _documents)
        {
            using var json = System.Text.Json.JsonDocument.Parse(document.Json);
            count += json.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object ? 1 : 0;
        }
        return count;
    }

    [Benchmark]
    public int ParseRealEstateCoreV3() => new ModelParser().Parse(_documents).Interfaces.Count;

    /// <summary>The ontologies shipped with the tests (tests/Doppel.Tests/Data/ontologies), found walking up from the current directory.</summary>
    private static string OntologyRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Doppel.Tests", "Data", "ontologies");
            if (File.Exists(Path.Combine(dir.FullName, "Doppel.slnx")) && Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("Run the benchmarks from inside the repository: tests/Doppel.Tests/Data/ontologies holds the ontologies they parse.");
    }
}
