using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Doppel.Modeling;
using Doppel.Twins;

namespace Doppel.Benchmarks.Twins;

/// <summary>
/// The domain half of a twin PATCH and of a GET, on the twin shape <c>doppel bench twins</c> uses. Run:
/// <c>dotnet run -c Release --project benchmarks/Doppel.Benchmarks -- --filter *TwinWrite* --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class TwinWriteBenchmarks
{
    private const string Model = """
        [{"@context":"dtmi:dtdl:context;3","@id":"dtmi:doppel:bench:Machine;1","@type":"Interface",
          "contents":[{"@type":"Property","name":"speed","schema":"double","writable":true},
                      {"@type":"Property","name":"state","schema":"string","writable":true},
                      {"@type":"Property","name":"count","schema":"long","writable":true}]}]
        """;

    private const string PatchJson = """[{"op":"replace","path":"/speed","value":2.5},{"op":"replace","path":"/count","value":42}]""";

    private const string NewETag = "W/\"0c1d2e3f-7f0a-4c69-9d1e-2f0a6c3b9e11\"";

    private static readonly DateTimeOffset Now = new(2025, 3, 1, 12, 30, 15, TimeSpan.Zero);

    private TwinOperations _operations = null!;
    private TwinDocument _twin = null!;
    private JsonPatchDocument _patch = null!;

    [GlobalSetup]
    public void Setup()
    {
        var catalog = new ModelCatalog();
        if (!catalog.Add([new ModelDocument("bench", Model)], Now).IsSuccess)
        {
            throw new InvalidOperationException("The benchmark model does not load.");
        }

        _operations = new TwinOperations(catalog);
        var body = (JsonObject)JsonNode.Parse("""{"$metadata":{"$model":"dtmi:doppel:bench:Machine;1"},"speed":1.5,"state":"running","count":7}""")!;
        _twin = _operations.Create("m1", body, Now, "W/\"5b7c2f4e-7f0a-4c69-9d1e-2f0a6c3b9e11\"").Value!;
        _patch = JsonPatchDocument.Parse(PatchJson).Value!;
    }

    /// <summary>What the grain does per PATCH: parse the patch text, apply and validate it.</summary>
    [Benchmark]
    public TwinDocument ParseAndPatch() =>
        _operations.Patch(_twin, JsonPatchDocument.Parse(PatchJson).Value!, Now, NewETag).Value!;

    [Benchmark]
    public TwinDocument Patch() => _operations.Patch(_twin, _patch, Now, NewETag).Value!;

    /// <summary>A new version's first serialization: what a write pays once, and what every GET paid before the bytes were cached.</summary>
    [Benchmark]
    public int SerializeNewVersion() => _operations.Patch(_twin, _patch, Now, NewETag).Value!.Utf8Json.Length;

    /// <summary>What a GET pays now: the cached bytes.</summary>
    [Benchmark]
    public int CachedUtf8Json() => _twin.Utf8Json.Length;
}
