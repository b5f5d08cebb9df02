using Doppel.Modeling;

namespace Doppel.Tests.Modeling;

/// <summary>
/// Loads the public ontologies shipped in Data/ontologies (RealEstateCore v2 and v3, ISA-95, IoT Plug and Play, Energy
/// Grid, Smart Cities), so that a fresh clone tests every one of them.
/// </summary>
public sealed class OntologyCorpusTests
{
    [Theory]
    [InlineData("building-rec-v3", 767)]
    [InlineData("building-rec-v2", 767)]
    [InlineData("isa95", 76)]
    [InlineData("iot-plugandplay-models", 301)] // 298 files; three declare an inline component Interface
    public void Ontology_loads_without_errors_in_strict_mode(string name, int expectedInterfaces)
    {
        var documents = ModelData.Load(ModelData.Ontology(name));
        var result = new ModelParser().Parse(documents);

        Assert.True(result.IsValid, string.Join("\n", result.Errors.Take(30)));
        Assert.Equal(expectedInterfaces, result.Interfaces.Count);
    }

    [Theory]
    // The corpus notes count distinct target DTMIs (20 and 1); several relationships share one (23 and 3 occurrences).
    [InlineData("energygrid", 20, 23)]
    [InlineData("smartcities", 1, 3)]
    public void Ontology_with_dangling_targets_loads_and_warns_of_each(string name, int distinctTargets, int occurrences)
    {
        var documents = ModelData.Load(ModelData.Ontology(name));

        // A Relationship target is a non-dependent reference (DTDL "Model completeness"): the model is valid without it.
        var lenient = new ModelParser().Parse(documents);

        Assert.True(lenient.IsValid, string.Join("\n", lenient.Errors.Take(30)));
        var warnings = lenient.Warnings.Where(w => w.Rule == "undefined-reference").ToList();
        Assert.All(warnings, w => Assert.EndsWith(".target", w.Path, StringComparison.Ordinal));
        Assert.Equal(occurrences, warnings.Count);
        Assert.Equal(distinctTargets, warnings.Select(e => e.Message.Split('\'')[1]).Distinct().Count());
        Assert.Equal(documents.Count, lenient.Interfaces.Count);
        Assert.Contains(lenient.Interfaces.SelectMany(i => i.Relationships), r => r.Target is { } t && lenient.Interfaces.All(i => i.Id != t));
    }
}
