using Doppel.Modeling;

namespace Doppel.Tests.Modeling;

/// <summary>Finds model corpora shipped next to the test binaries: small subsets and whole public ontologies.</summary>
internal static class ModelData
{
    public static string Shipped(string name) => Path.Combine(AppContext.BaseDirectory, "Data", "dtdl", name);

    /// <summary>A public ontology shipped with the tests (Data/ontologies, sources and licences in its SOURCE.md).</summary>
    public static string Ontology(string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "Data", "ontologies", name);
        Assert.True(Directory.Exists(folder), $"The ontology folder {folder} is missing: it is shipped in tests/Doppel.Tests/Data/ontologies and copied next to the tests by the build.");
        return folder;
    }

    public static List<ModelDocument> Load(string folder) =>
        Directory.EnumerateFiles(folder, "*.json", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(f => new ModelDocument(Path.GetRelativePath(folder, f), File.ReadAllText(f)))
            .ToList();
}
