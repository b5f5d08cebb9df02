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
        var folder = Path.Combine(DataRoot(), "dtdl", "building-rec-v3");
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

    /// <summary>DOPPEL_DATA, else the first ../shared/data found walking up from the current directory.</summary>
    private static string DataRoot()
    {
        if (Environment.GetEnvironmentVariable("DOPPEL_DATA") is { Length: > 0 } env)
        {
            return env;
        }

        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "..", "shared", "data");
            if (Directory.Exists(Path.Combine(candidate, "dtdl")))
            {
                return Path.GetFullPath(candidate);
            }
        }

        throw new DirectoryNotFoundException("Set DOPPEL_DATA to the folder holding dtdl/building-rec-v3.");
    }
}
