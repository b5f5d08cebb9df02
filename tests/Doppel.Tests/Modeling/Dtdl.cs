using Doppel.Modeling;

namespace Doppel.Tests.Modeling;

/// <summary>Builds small DTDL documents and asserts on parse outcomes, so that each test is about one rule.</summary>
internal static class Dtdl
{
    public static string V3(string id, string contents = "", string extra = "", string context = "\"dtmi:dtdl:context;3\"") =>
        $$"""{ "@context": {{context}}, "@id": "{{id}}", "@type": "Interface", "contents": [ {{contents}} ] {{extra}} }""";

    public static string V2(string id, string contents = "", string extra = "") =>
        V3(id, contents, extra, "\"dtmi:dtdl:context;2\"");

    public static string V4(string id, string contents = "", string extra = "") =>
        V3(id, contents, extra, "\"dtmi:dtdl:context;4\"");

    public static ModelParseResult Parse(params string[] json) => Parse(new ModelParserOptions(), json);

    public static ModelParseResult Parse(ModelParserOptions options, params string[] json) =>
        new ModelParser(options).Parse(json.Select((j, i) => new ModelDocument($"models[{i}]", j)).ToList());

    public static InterfaceModel AssertValid(ModelParseResult result, string id)
    {
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        return Assert.Single(result.Interfaces, i => i.Id.Value == id);
    }

    /// <summary>Asserts that exactly one error has <paramref name="rule"/> and returns it.</summary>
    public static ModelError AssertError(ModelParseResult result, string rule, string? path = null)
    {
        var matching = result.Errors.Where(e => e.Rule == rule).ToList();
        Assert.True(matching.Count == 1, $"expected one '{rule}' error, got:\n{string.Join("\n", result.Errors)}");
        if (path is not null)
        {
            Assert.Equal(path, matching[0].Path);
        }

        Assert.False(string.IsNullOrWhiteSpace(matching[0].Message));
        return matching[0];
    }
}
