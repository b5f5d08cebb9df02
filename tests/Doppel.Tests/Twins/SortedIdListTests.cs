using Doppel.Twins.Internal;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Doppel.Tests.Twins;

/// <summary>The chunked id list against a plain sorted set, for single adds, bulk merges and removes.</summary>
public sealed class SortedIdListTests
{
    // Short ids from a small alphabet, so generated batches collide with what is already in the list.
    private static string Id(int n) => "t" + ((uint)n % 5000).ToString("x", System.Globalization.CultureInfo.InvariantCulture);

    [Property(MaxTest = 200)]
    public Property Bulk_merges_single_adds_and_removes_match_a_sorted_set(int[] singles, int[][] batches, int[] removals)
    {
        var list = SortedIdList.Empty;
        var reference = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var n in singles)
        {
            list = list.Add(Id(n));
            reference.Add(Id(n));
        }
        foreach (var batch in batches)
        {
            // A batch large enough to overflow chunks several times over.
            var ids = batch.SelectMany(n => new[] { Id(n), Id(n * 7), Id(n * 31), Id(n * 127) }).Distinct().Order(StringComparer.Ordinal).ToList();
            list = list.AddRange(ids);
            reference.UnionWith(ids);
        }
        foreach (var n in removals)
        {
            list = list.Remove(Id(n));
            reference.Remove(Id(n));
        }

        var expected = reference.ToList();
        var probe = Id(singles.Length * 13);
        var expectedRank = expected.Count(id => string.CompareOrdinal(id, probe) <= 0);
        return (list.Count == expected.Count
                && list.Range(0, list.Count).SequenceEqual(expected)
                && list.RankAfter(probe) == expectedRank
                && list.Range(expectedRank, list.Count).SequenceEqual(expected.Skip(expectedRank))
                && expected.All(list.Contains))
            .Label($"{list.Count} ids, expected {expected.Count}");
    }

    [Fact]
    public void A_bulk_merge_into_a_large_list_keeps_chunks_bounded_and_order_exact()
    {
        var even = Enumerable.Range(0, 20_000).Select(i => (i * 2).ToString("D6", System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var odd = Enumerable.Range(0, 20_000).Select(i => ((i * 2) + 1).ToString("D6", System.Globalization.CultureInfo.InvariantCulture)).ToList();

        var list = SortedIdList.FromSorted(even).AddRange(odd);

        Assert.Equal(40_000, list.Count);
        Assert.Equal(even.Concat(odd).Order(StringComparer.Ordinal), list.Range(0, list.Count));
        Assert.Equal(30_001, list.RankAfter("030000"));
        Assert.Equal(["039998", "039999"], list.Range(39_998, 40_000));
    }
}
