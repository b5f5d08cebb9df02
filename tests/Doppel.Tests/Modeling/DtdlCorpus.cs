using System.Text.Json;
using Doppel.Modeling;

namespace Doppel.Tests.Modeling;

/// <summary>One case of the DTDL conformance corpus: a document set, the parser options and the verdict the specification gives.</summary>
internal sealed record CorpusCase(
    string Path,
    string Version,
    string Rule,
    string Description,
    string Spec,
    bool Valid,
    ModelParserOptions Options,
    IReadOnlyList<ModelDocument> Documents)
{
    /// <summary>The options as the case file names them, for failure messages.</summary>
    public string OptionsLabel
    {
        get
        {
            var set = new List<string>();
            if (Options.AllowUndefinedReferences)
            {
                set.Add("allowUndefinedReferences");
            }

            if (Options.AllowUnknownExtensions is { } extensions)
            {
                set.Add($"allowUndefinedExtensions: {(extensions ? "true" : "false")}");
            }

            if (Options.LimitExtensions.Count > 0)
            {
                set.Add($"limitExtensions: {string.Join(", ", Options.LimitExtensions)}");
            }

            return set.Count == 0 ? "default options" : string.Join(", ", set);
        }
    }
}

/// <summary>
/// Reads the corpus in Data/dtdl-conformance (README.md there describes the format): one JSON file per case, under
/// v2|v3|v4/&lt;rule&gt;/. Each document is handed to the parser as its exact JSON text, so duplicate member names survive.
/// </summary>
internal static class DtdlCorpus
{
    public static readonly string[] Versions = ["v2", "v3", "v4"];

    public static string Root => Path.Combine(AppContext.BaseDirectory, "Data", "dtdl-conformance");

    public static IReadOnlyList<CorpusCase> Load(string version)
    {
        var folder = Path.Combine(Root, version);
        Assert.True(Directory.Exists(folder), $"The corpus folder {folder} is missing");
        return Directory.EnumerateFiles(folder, "*.json", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(file => Read(file, version))
            .ToList();
    }

    public static CorpusCase Read(string file, string version)
    {
        var relative = Path.GetRelativePath(Root, file).Replace('\\', '/');
        using var json = JsonDocument.Parse(File.ReadAllText(file));
        var root = json.RootElement;
        foreach (var member in root.EnumerateObject())
        {
            Assert.True(member.Name is "description" or "spec" or "valid" or "options" or "documents", $"{relative}: unknown member '{member.Name}'");
        }

        var options = new ModelParserOptions();
        if (root.TryGetProperty("options", out var o))
        {
            foreach (var option in o.EnumerateObject())
            {
                if (option.Name == "limitExtensions")
                {
                    options.LimitExtensions = option.Value.EnumerateArray().Select(e => e.GetString()!).ToList();
                    continue;
                }

                var on = option.Value.GetBoolean();
                switch (option.Name)
                {
                    case "allowUndefinedReferences":
                        options.AllowUndefinedReferences = on;
                        break;
                    case "allowUndefinedExtensions":
                        options.AllowUnknownExtensions = on;
                        break;
                    default:
                        Assert.Fail($"{relative}: unknown option '{option.Name}'");
                        break;
                }
            }
        }

        var documents = root.GetProperty("documents").EnumerateArray()
            .Select((d, i) => new ModelDocument($"{relative}#documents[{i}]", d.GetRawText()))
            .ToList();
        Assert.True(documents.Count > 0, $"{relative}: a case needs at least one document");
        var description = root.GetProperty("description").GetString();
        var source = root.GetProperty("spec").GetString();
        Assert.False(string.IsNullOrWhiteSpace(description), $"{relative}: description is empty");
        Assert.False(string.IsNullOrWhiteSpace(source), $"{relative}: spec is empty");
        var rule = relative.Split('/')[1];
        return new CorpusCase(relative, version, rule, description!, source!, root.GetProperty("valid").GetBoolean(), options, documents);
    }
}
