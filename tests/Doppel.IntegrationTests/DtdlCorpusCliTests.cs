using System.Text;
using System.Text.Json;
using Doppel.IntegrationTests.Support;

namespace Doppel.IntegrationTests;

/// <summary>
/// Runs a fixed sample of the DTDL conformance corpus (tests/Doppel.Tests/Data/dtdl-conformance) through the real
/// <c>doppel models validate FILE...</c>, the command the outside agreement measurement uses: exit 0 for a valid case,
/// 1 for an invalid one, and never a stack trace. The sample takes a valid and an invalid case from every fourth rule
/// of each version, plus the cases that once crashed the parser; the whole corpus runs in-process in
/// DtdlConformanceCorpusTests.
/// </summary>
public sealed class DtdlCorpusCliTests
{
    private const int RuleStride = 4;

    /// <summary>Inputs that crashed the parser (issue 11): a mapKey given as a reference, a request as an array, an EnumValue without enumValue.</summary>
    private static readonly string[] OnceCrashed =
    [
        "references/undefined-map-key-strict.json",
        "value-forms/request-one-element-array.json",
        "required-members/enumvalue-without-enumvalue.json",
    ];

    [Theory]
    [InlineData("v2")]
    [InlineData("v3")]
    [InlineData("v4")]
    public async Task Models_validate_gives_the_corpus_verdict_on_a_sample_of_cases(string version)
    {
        var sample = Sample(version);
        Assert.True(sample.Count >= 10, $"the {version} sample has only {sample.Count} cases");

        var failures = new List<string>();
        foreach (var (path, valid, lenient, documents) in sample)
        {
            var folder = Repository.TempFolder();
            var files = documents.Select((d, i) =>
            {
                var file = Path.Combine(folder, $"document{i}.json");
                File.WriteAllText(file, d);
                return file;
            }).ToList();
            string[] args = ["models", "validate", .. lenient ? new[] { "--lenient" } : [], .. files];
            var (exit, stdout, stderr) = await DoppelProcess.RunAsync(args);
            var expected = valid ? 0 : 1;
            var trace = stdout.Contains("   at ", StringComparison.Ordinal) || stderr.Contains("   at ", StringComparison.Ordinal) || stderr.Contains("Unhandled exception", StringComparison.Ordinal);
            if (exit != expected || trace)
            {
                failures.Add($"- {path}: expected exit {expected}, got {exit}{(trace ? " with a stack trace" : "")}: {FirstLines(stdout + stderr)}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {sample.Count} sampled {version} cases get the wrong exit code from 'doppel models validate':\n" + string.Join("\n", failures));
    }

    private static List<(string Path, bool Valid, bool Lenient, List<string> Documents)> Sample(string version)
    {
        var root = Repository.TestData("dtdl-conformance", version);
        var cases = Directory.EnumerateFiles(root, "*.json", SearchOption.AllDirectories)
            .Select(file => (Relative: Path.GetRelativePath(root, file).Replace('\\', '/'), Case: Read(file)))
            .Where(c => c.Case is not null)
            .OrderBy(c => c.Relative, StringComparer.Ordinal)
            .ToList();
        var rules = cases.Select(c => c.Relative.Split('/')[0]).Distinct().Order(StringComparer.Ordinal).ToList();
        var chosen = new List<(string, bool, bool, List<string>)>();
        for (var r = 0; r < rules.Count; r += RuleStride)
        {
            foreach (var valid in new[] { true, false })
            {
                if (cases.FirstOrDefault(c => c.Relative.StartsWith(rules[r] + "/", StringComparison.Ordinal) && c.Case!.Value.Valid == valid) is { Case: { } found } pick)
                {
                    chosen.Add(($"{version}/{pick.Relative}", found.Valid, found.Lenient, found.Documents));
                }
            }
        }

        foreach (var path in OnceCrashed)
        {
            if (cases.FirstOrDefault(c => c.Relative == path) is { Case: { } found })
            {
                chosen.Add(($"{version}/{path}", found.Valid, found.Lenient, found.Documents));
            }
        }

        return chosen;
    }

    /// <summary>A case the CLI can express (strict, or lenient about undefined references only), or null.</summary>
    private static (bool Valid, bool Lenient, List<string> Documents)? Read(string file)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(file));
        var root = json.RootElement;
        var lenient = false;
        if (root.TryGetProperty("options", out var options))
        {
            foreach (var option in options.EnumerateObject())
            {
                if (option.Name == "allowUndefinedReferences")
                {
                    lenient = option.Value.GetBoolean();
                }
                else
                {
                    // allowUndefinedExtensions and limitExtensions: not options of this sample's command line.
                    return null;
                }
            }
        }

        var documents = root.GetProperty("documents").EnumerateArray().Select(d => d.GetRawText()).ToList();
        return (root.GetProperty("valid").GetBoolean(), lenient, documents);
    }

    private static string FirstLines(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Take(3);
        var builder = new StringBuilder();
        foreach (var line in lines)
        {
            builder.Append(line.Trim()).Append(" | ");
        }

        return builder.ToString();
    }
}
