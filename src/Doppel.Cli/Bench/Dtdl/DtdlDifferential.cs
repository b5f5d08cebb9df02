using System.Text.RegularExpressions;
using Doppel.Cli.Bench.Fuzz;
using Doppel.Modeling;

namespace Doppel.Cli.Bench.Dtdl;

/// <summary>
/// Differential fuzzing of Doppel's DTDL parser against the official one: seeded mutations of the corpus and sample
/// models (<see cref="DtdlMutator"/>), each parsed by <see cref="ModelParser"/> with its default options (as
/// <c>doppel models validate</c> does) and by the peer with its default options, counted per DTDL version and verdict,
/// and the disagreements grouped by the reason one side gives, each group with a minimised example.
/// </summary>
internal static partial class DtdlDifferential
{
    private const int Batch = 250;

    /// <summary>Checks spent shrinking one group's example: each is a parse by both parsers.</summary>
    private const int MinimizeBudget = 400;

    /// <summary>Runs <paramref name="inputs"/> inputs of <paramref name="seed"/>; <paramref name="progress"/> hears how many are done.</summary>
    public static async Task<DifferentialReport> RunAsync(DtdlPeer peer, IReadOnlyList<FuzzSeed> seeds, ulong seed, int inputs, int examples, Action<int>? progress, CancellationToken ct)
    {
        var mutator = new DtdlMutator(seeds);
        var tallies = new SortedDictionary<string, VersionTally>(StringComparer.Ordinal);
        var groups = new Dictionary<string, Group>(StringComparer.Ordinal);
        for (var first = 0; first < inputs; first += Batch)
        {
            var sets = Enumerable.Range(first, Math.Min(Batch, inputs - first)).Select(i => mutator.Make(seed, i)).ToList();
            var verdicts = await peer.ParseManyAsync(sets, ct);
            for (var k = 0; k < sets.Count; k++)
            {
                var ours = Doppel(sets[k]);
                var theirs = verdicts[k];
                var version = VersionOf(sets[k]);
                if (!tallies.TryGetValue(version, out var tally))
                {
                    tallies[version] = tally = new VersionTally();
                }

                tally.Inputs++;
                if (theirs.Valid)
                {
                    tally.PeerAccepted++;
                    tally.BothAccepted += ours.IsValid ? 1 : 0;
                }
                else
                {
                    tally.PeerRefused++;
                    tally.BothRefused += ours.IsValid ? 0 : 1;
                }

                if (ours.IsValid != theirs.Valid)
                {
                    var key = Key(ours, theirs);
                    if (!groups.TryGetValue(key, out var group))
                    {
                        groups[key] = group = new Group(key, theirs.Valid, sets[k], first + k);
                    }

                    group.Count++;
                    group.Versions[version] = group.Versions.GetValueOrDefault(version) + 1;
                }
            }

            progress?.Invoke(first + sets.Count);
        }

        var clusters = new List<DisagreementCluster>();
        foreach (var group in groups.Values.OrderByDescending(g => g.Count).ThenBy(g => g.Key, StringComparer.Ordinal))
        {
            var example = group.Example;
            if (clusters.Count < examples)
            {
                example = await MinimizeAsync(peer, group.Example, group.Key, ct);
            }

            var ours = Doppel(example);
            var theirs = await peer.ParseAsync(example, ct);
            clusters.Add(new DisagreementCluster(
                group.PeerAccepts,
                group.Key,
                group.Count,
                group.Versions.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => (v.Key, v.Value)).ToList(),
                group.Index,
                example,
                theirs.Valid ? "valid" : string.Join(" | ", theirs.Errors.Take(2).Select(e => e.Cause)),
                ours.IsValid ? "valid" : string.Join(" | ", ours.Errors.Take(2).Select(e => $"{e.Path}: {e.Rule}: {e.Message}"))));
        }

        var versions = tallies.Select(t => new VersionAgreement(t.Key, t.Value.Inputs, t.Value.PeerAccepted, t.Value.BothAccepted, t.Value.PeerRefused, t.Value.BothRefused)).ToList();
        return new DifferentialReport(peer.ParserVersion, seed, inputs, versions, clusters);
    }

    /// <summary>Doppel's verdict with the options <c>doppel models validate</c> uses by default.</summary>
    public static ModelParseResult Doppel(IReadOnlyList<string> documents) =>
        new ModelParser().Parse(documents.Select((text, i) => new ModelDocument($"input[{i}]", text)).ToList());

    /// <summary>The DTDL version an input is written in: that of the first DTDL context specifier in its text ("none" without one).</summary>
    public static string VersionOf(IReadOnlyList<string> documents)
    {
        foreach (var text in documents)
        {
            if (CoreContext().Match(text) is { Success: true } match)
            {
                return "v" + match.Groups[1].Value;
            }
        }

        return "none";
    }

    /// <summary>A disagreement's group: which side accepts, and the reason the other side gives for refusing.</summary>
    private static string Key(ModelParseResult ours, PeerVerdict theirs) => theirs.Valid
        ? $"Doppel refuses ({ours.Errors[0].Rule}), the official parser accepts"
        : $"Doppel accepts, the official parser refuses ({theirs.Cause})";

    /// <summary>Shrinks an example while it stays in its group.</summary>
    private static async Task<IReadOnlyList<string>> MinimizeAsync(DtdlPeer peer, IReadOnlyList<string> input, string key, CancellationToken ct) =>
        await Task.Run(() => InputMinimizer.Minimize(input, candidate =>
        {
            var ours = Doppel(candidate);
            var theirs = peer.ParseAsync(candidate, ct).GetAwaiter().GetResult();
            return ours.IsValid != theirs.Valid && Key(ours, theirs) == key;
        }, MinimizeBudget), ct);

    [GeneratedRegex(@"dtmi:dtdl:context;(\d+)")]
    private static partial Regex CoreContext();

    private sealed class VersionTally
    {
        public int Inputs;
        public int PeerAccepted;
        public int BothAccepted;
        public int PeerRefused;
        public int BothRefused;
    }

    private sealed class Group(string key, bool peerAccepts, IReadOnlyList<string> example, int index)
    {
        public string Key { get; } = key;

        public bool PeerAccepts { get; } = peerAccepts;

        public IReadOnlyList<string> Example { get; } = example;

        public int Index { get; } = index;

        public int Count { get; set; }

        public Dictionary<string, int> Versions { get; } = new(StringComparer.Ordinal);
    }
}
