using System.Text.Json;
using Doppel.Cli.Bench.Dtdl;
using Doppel.IntegrationTests.Support;
using Xunit.Abstractions;

namespace Doppel.IntegrationTests;

/// <summary>
/// The team's DTDL conformance corpus against the official parser (DTDLParser as WebAssembly under Node.js,
/// tests/compat/dtdl-peer.mjs): every case the official parser can express with its default options gets the case's
/// verdict from it too, except the cases listed, with the specification's text, in
/// Data/dtdl-conformance/official-parser-divergences.json, where the official parser contradicts the specification.
/// The corpus runner (DtdlConformanceCorpusTests) holds Doppel to the same verdicts, so this is also Doppel against the
/// official parser.
/// </summary>
public sealed class DtdlPeerCorpusTests(ITestOutputHelper output)
{
    private static readonly string[] Versions = ["v2", "v3", "v4"];

    [Fact]
    public async Task The_official_parser_gives_every_expressible_case_its_verdict_except_the_documented_divergences()
    {
        var cases = Versions.SelectMany(Load).ToList();
        var expressible = cases.Where(c => c.Expressible).ToList();
        var divergences = Divergences.Load(Repository.TestData("dtdl-conformance", Divergences.FileName));
        Assert.True(expressible.Count >= 3_500, $"only {expressible.Count} of {cases.Count} corpus cases can be given to the official parser");

        var started = await DtdlPeer.StartAsync(Path.Combine(Repository.Root, "tests", "compat"), CancellationToken.None);
        Assert.True(started.IsSuccess, started.Error?.Message);
        await using var peer = started.Value;
        var verdicts = await peer.ParseManyAsync(expressible.Select(c => c.Documents).ToList());

        var failures = new List<string>();
        var agreed = 0;
        var listed = 0;
        for (var i = 0; i < expressible.Count; i++)
        {
            var (c, verdict) = (expressible[i], verdicts[i]);
            var divergence = divergences.For(c.Path);
            if (verdict.Valid == c.Valid)
            {
                agreed++;
                if (divergence is not null)
                {
                    failures.Add($"- {c.Path}: listed as a divergence, but the official parser now agrees ({Say(verdict)}): take it off the list");
                }
            }
            else if (divergence is not null && divergence.Official == verdict.Valid)
            {
                listed++;
            }
            else
            {
                failures.Add($"- {c.Path}: the case says {(c.Valid ? "valid" : "invalid")}, the official parser {Say(verdict)}\n    {c.Description}");
            }
        }

        foreach (var path in divergences.Cases.Where(p => !expressible.Any(c => c.Path == p)))
        {
            failures.Add($"- {path}: listed as a divergence but not an expressible case of the corpus");
        }

        output.WriteLine($"{peer.ParserVersion}: {agreed}/{expressible.Count} expressible cases agree ({agreed * 100.0 / expressible.Count:F2} %), "
            + $"{listed} documented divergences; {cases.Count - expressible.Count} cases need options the official parser's defaults cannot express");
        foreach (var version in Versions)
        {
            var mine = expressible.Select((c, i) => (c, v: verdicts[i])).Where(p => p.c.Path.StartsWith(version + "/", StringComparison.Ordinal)).ToList();
            output.WriteLine($"  {version}: {mine.Count(p => p.v.Valid == p.c.Valid)}/{mine.Count}");
        }

        Assert.True(failures.Count == 0, $"{failures.Count} disagreement(s) with the official parser, {agreed}/{expressible.Count} agree:\n" + string.Join("\n", failures));
    }

    [Fact]
    public void Every_documented_divergence_names_its_cases_the_specification_and_a_reason()
    {
        var divergences = Divergences.Load(Repository.TestData("dtdl-conformance", Divergences.FileName));
        Assert.NotEmpty(divergences.Entries);
        foreach (var entry in divergences.Entries)
        {
            Assert.NotEmpty(entry.Cases);
            Assert.False(string.IsNullOrWhiteSpace(entry.Spec), $"{entry.Cases[0]}: no specification text");
            Assert.False(string.IsNullOrWhiteSpace(entry.Reason), $"{entry.Cases[0]}: no reason");
            foreach (var path in entry.Cases)
            {
                var file = Repository.TestData("dtdl-conformance", path);
                Assert.True(File.Exists(file), $"{path} is listed as a divergence but is not a corpus case");
                var c = Read(file, path);
                Assert.True(c.Valid != entry.Official, $"{path}: a divergence is a case whose verdict is not the official parser's; the case says {c.Valid}, the entry says the official parser says {entry.Official}");
            }
        }
    }

    /// <summary>A corpus case: its exact document texts, its verdict, and whether the official parser's default options express its options.</summary>
    private sealed record Case(string Path, string Description, bool Valid, bool Expressible, IReadOnlyList<string> Documents);

    private static IEnumerable<Case> Load(string version)
    {
        var root = Repository.TestData("dtdl-conformance");
        return Directory.EnumerateFiles(Path.Combine(root, version), "*.json", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(file => Read(file, Path.GetRelativePath(root, file).Replace('\\', '/')));
    }

    /// <summary>
    /// The official parser runs with its defaults: undefined references refused, undefined extensions accepted in DTDL v2
    /// and refused in v3 and v4, no limit extension, which is what a case without options means. A case that sets an
    /// option to something else cannot be given to it.
    /// </summary>
    private static Case Read(string file, string path)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(file));
        var root = json.RootElement;
        var expressible = true;
        if (root.TryGetProperty("options", out var options))
        {
            foreach (var option in options.EnumerateObject())
            {
                expressible &= option.Name switch
                {
                    "allowUndefinedReferences" => !option.Value.GetBoolean(),
                    "allowUndefinedExtensions" => option.Value.GetBoolean() == path.StartsWith("v2/", StringComparison.Ordinal),
                    _ => false, // limitExtensions: the official parser accepts none by default
                };
            }
        }

        var documents = root.GetProperty("documents").EnumerateArray().Select(d => d.GetRawText()).ToList();
        return new Case(path, root.GetProperty("description").GetString() ?? "", root.GetProperty("valid").GetBoolean(), expressible, documents);
    }

    private static string Say(PeerVerdict verdict) =>
        verdict.Valid ? "accepts it" : $"refuses it ({verdict.Kind}: {Clip(string.Join(" | ", verdict.Errors.Take(2).Select(e => e.Cause)))})";

    private static string Clip(string text) => text.Length <= 300 ? text : text[..300] + "…";

    /// <summary>The documented divergences of the official parser from the specification.</summary>
    private sealed class Divergences
    {
        public const string FileName = "official-parser-divergences.json";

        public required IReadOnlyList<Entry> Entries { get; init; }

        public IEnumerable<string> Cases => Entries.SelectMany(e => e.Cases);

        public Entry? For(string path) => Entries.FirstOrDefault(e => e.Cases.Contains(path));

        public static Divergences Load(string file)
        {
            Assert.True(File.Exists(file), $"{file} is missing");
            using var json = JsonDocument.Parse(File.ReadAllText(file));
            var entries = new List<Entry>();
            foreach (var e in json.RootElement.GetProperty("divergences").EnumerateArray())
            {
                foreach (var member in e.EnumerateObject())
                {
                    Assert.True(member.Name is "cases" or "official" or "spec" or "reason", $"{FileName}: unknown member '{member.Name}'");
                }

                entries.Add(new Entry(
                    e.GetProperty("cases").EnumerateArray().Select(c => c.GetString()!).ToList(),
                    e.GetProperty("official").GetString() switch
                    {
                        "valid" => true,
                        "invalid" => false,
                        var other => throw new InvalidDataException($"{FileName}: 'official' is \"valid\" or \"invalid\", not \"{other}\""),
                    },
                    e.GetProperty("spec").GetString() ?? "",
                    e.GetProperty("reason").GetString() ?? ""));
            }

            var repeated = entries.SelectMany(e => e.Cases).GroupBy(c => c).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            Assert.True(repeated.Count == 0, $"{FileName} lists {string.Join(", ", repeated)} more than once");
            return new Divergences { Entries = entries };
        }
    }

    /// <summary>Cases where the official parser says <see cref="Official"/> and the specification (quoted in <see cref="Spec"/>) the opposite.</summary>
    private sealed record Entry(IReadOnlyList<string> Cases, bool Official, string Spec, string Reason);
}
