using Doppel.History;
using Doppel.Storage;
using DuckDB.NET.Data;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Doppel.Tests.Storage;

/// <summary>The DuckDB history store on real files: paging, de-duplication, durability, retention, export, and aggregates against a reference.</summary>
public sealed class DuckDbHistoryStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private static HistoryPoint Point(string twin, string name, double seconds, double? value, string? messageId = null) =>
        new(twin, name, T0.AddSeconds(seconds), HistoryKind.Telemetry, value, value is null ? "\"text\"" : null, messageId);

    [Fact]
    public async Task Pages_return_every_point_once_in_time_order_with_ties_in_arrival_order()
    {
        using var folder = new TempDataDirectory();
        await using var store = DuckDbHistoryStore.Open(folder.Path);
        // Out of order in time, and three points at the same instant.
        await store.AppendAsync([Point("a", "t", 5, 5), Point("a", "t", 1, 1), Point("b", "t", 3, 3)]);
        await store.AppendAsync([Point("a", "t", 3, 31), Point("a", "t", 3, 32), Point("a", "u", 2, null)]);

        var read = new List<HistoryPoint>();
        HistoryCursor? cursor = null;
        var pages = 0;
        do
        {
            var page = await store.ReadAsync(new HistoryRead(["a"], [], T0, T0.AddHours(1), PageSize: 2, After: cursor));
            read.AddRange(page.Points);
            cursor = page.Next;
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(3, pages);
        Assert.Equal([1.0, null, 31, 32, 5], read.Select(p => p.Number));
        Assert.Equal("\"text\"", read[1].Json);
        Assert.All(read, p => Assert.Equal("a", p.TwinId));
        var onlyT = await store.ReadAsync(new HistoryRead([], ["t"], T0.AddSeconds(2), T0.AddSeconds(5)));
        Assert.Equal([3.0, 31, 32], onlyT.Points.Select(p => p.Number));
    }

    [Fact]
    public async Task The_state_at_a_time_is_each_series_newest_point_at_or_before_it_in_either_table()
    {
        using var folder = new TempDataDirectory();
        // A small compaction threshold puts the older points in the archive and the newer in the recent table.
        await using var store = DuckDbHistoryStore.Open(folder.Path, new HistoryStoreOptions { CompactionRows = 4 });
        await store.AppendAsync([Point("a", "t", 1, 1), Point("a", "t", 5, 5), Point("a", "u", 2, null), Point("b", "t", 3, 3)]);
        await store.AppendAsync([Point("a", "t", 10, 10), Point("b", "t", 8, 81), Point("b", "t", 8, 82), Point("c", "t", 20, 20)]);

        static async Task<string> At(IHistoryStore store, double seconds, IReadOnlyList<string> twins, IReadOnlyList<string> names) =>
            string.Join(" ", (await store.LatestAtAsync(twins, names, T0.AddSeconds(seconds))).OrderBy(p => p.TwinId).ThenBy(p => p.Name)
                .Select(p => $"{p.TwinId}.{p.Name}={p.Number?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? p.Json}@{(p.Time - T0).TotalSeconds}"));

        // At an instant a point has, that point counts; of two at one instant, the later stored wins.
        Assert.Equal("a.t=5@5 a.u=\"text\"@2", await At(store, 5, ["a"], []));
        Assert.Equal("a.t=5@5 b.t=82@8", await At(store, 9.5, ["a", "b", "c"], ["t"]));
        Assert.Equal("a.t=10@10 b.t=82@8 c.t=20@20", await At(store, 100, [], ["t"]));
        Assert.Equal("", await At(store, 0.5, [], []));
        Assert.Equal("", await At(store, 100, ["nobody"], []));
    }

    [Fact]
    public async Task A_repeated_message_id_is_stored_once_even_after_a_restart()
    {
        using var folder = new TempDataDirectory();
        await using (var store = DuckDbHistoryStore.Open(folder.Path))
        {
            // One message carries several names; only the same (twin, name, message id) is a repeat.
            Assert.Equal(3, await store.AppendAsync([Point("a", "t", 1, 1, "m1"), Point("a", "u", 1, 1, "m1"), Point("a", "t", 1, 1, "m1"), Point("b", "t", 1, 1, "m1")]));
            Assert.Equal(0, await store.AppendAsync([Point("a", "t", 2, 2, "m1")]));
        }

        await using var reopened = DuckDbHistoryStore.Open(folder.Path);
        Assert.Equal(1, await reopened.AppendAsync([Point("a", "t", 2, 2, "m1"), Point("a", "t", 2, 2, "m2")]));
        Assert.Equal(4, await reopened.CountAsync());
    }

    [Fact]
    public async Task Retention_deletes_old_points_and_downsampling_keeps_one_average_per_old_bucket()
    {
        using var folder = new TempDataDirectory();
        await using var store = DuckDbHistoryStore.Open(folder.Path);
        await store.AppendAsync([.. Enumerable.Range(0, 120).Select(i => Point("a", "t", i * 60, i))]);

        // Points of the first hour become one point at 00:00 with their mean (29.5); the second hour stays raw.
        Assert.Equal(59, await store.DownsampleBeforeAsync(T0.AddHours(1), TimeSpan.FromHours(1)));
        var all = await store.ReadAsync(new HistoryRead(["a"], [], T0, T0.AddDays(1), PageSize: 1000));
        Assert.Equal(61, all.Points.Count);
        Assert.Equal((T0, 29.5), (all.Points[0].Time, all.Points[0].Number!.Value));
        Assert.Equal(60, all.Points[1].Number);

        Assert.Equal(31, await store.DeleteBeforeAsync(T0.AddMinutes(90)));
        Assert.Equal(30, await store.CountAsync());
    }

    [Fact]
    public async Task Export_writes_a_parquet_file_that_DuckDB_reads_back()
    {
        using var folder = new TempDataDirectory();
        await using var store = DuckDbHistoryStore.Open(folder.Path);
        await store.AppendAsync([Point("a", "t", 1, 1.5), Point("a", "t", 2, 2.5), Point("b", "t", 3, 9)]);
        var file = Path.Combine(folder.Path, "out", "a's history.parquet");

        Assert.Equal(2, await store.ExportParquetAsync(new HistoryRead(["a"], [], T0, T0.AddHours(1)), file));

        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT sum(num), count(*), min(twin_id) FROM read_parquet('{file.Replace("'", "''", StringComparison.Ordinal)}')";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal((4.0, 2L, "a"), (reader.GetDouble(0), reader.GetInt64(1), reader.GetString(2)));
    }

    [Fact]
    public async Task A_history_file_of_the_first_format_is_migrated_and_reads_the_same()
    {
        using var folder = new TempDataDirectory();
        using (var connection = new DuckDBConnection($"Data Source={System.IO.Path.Combine(folder.Path, DuckDbHistoryStore.FileName)}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE points (twin_id VARCHAR NOT NULL, name VARCHAR NOT NULL, ts TIMESTAMP NOT NULL, kind UTINYINT NOT NULL,
                                     num DOUBLE, json VARCHAR, message_id VARCHAR, seq BIGINT NOT NULL);
                INSERT INTO points VALUES ('b', 'x', TIMESTAMP '2026-03-01 00:00:02', 0, 2, NULL, 'm2', 2),
                                          ('a', 'x', TIMESTAMP '2026-03-01 00:00:01', 0, 1, NULL, 'm1', 1),
                                          ('a', 'mode', TIMESTAMP '2026-03-01 00:00:03', 1, NULL, '"auto"', NULL, 3);
                """;
            command.ExecuteNonQuery();
        }

        await using var store = DuckDbHistoryStore.Open(folder.Path);

        var page = await store.ReadAsync(new HistoryRead([], [], T0.AddDays(-365), T0.AddDays(365)));
        Assert.Equal(["a.x=1", "b.x=2", "a.mode=\"auto\""], page.Points.Select(p => $"{p.TwinId}.{p.Name}={(p.Json ?? p.Number!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture))}"));
        // The message ids came along: a retry is still recognised, and new points continue the sequence.
        Assert.Equal(0, await store.AppendAsync([Point("a", "x", 1, 1) with { MessageId = "m1" }]));
        Assert.Equal(1, await store.AppendAsync([Point("a", "x", 9, 9)]));
        Assert.Equal(4, await store.CountAsync());
    }

    [Fact]
    public async Task Paging_and_one_twin_reads_see_recent_archived_and_compacted_points_alike()
    {
        using var folder = new TempDataDirectory();
        await using var store = DuckDbHistoryStore.Open(folder.Path, new HistoryStoreOptions { CompactionRows = 25 });
        for (var i = 0; i < 100; i++)
        {
            await store.AppendAsync([Point("t" + (i % 4), "v", i, i)]);
        }
        async Task<List<double>> ReadAll(string twin)
        {
            var values = new List<double>();
            HistoryCursor? after = null;
            do
            {
                var page = await store.ReadAsync(new HistoryRead([twin], ["v"], T0, T0.AddDays(1), 7, after));
                values.AddRange(page.Points.Select(p => p.Number!.Value));
                after = page.Next;
            }
            while (after is not null);
            return values;
        }

        var before = await ReadAll("t1");
        Assert.Equal(100, await store.CompactAsync()); // four runs of 25, each moved to the archive when it filled
        Assert.Equal(100, await store.CountAsync());
        Assert.Equal(Enumerable.Range(0, 25).Select(i => (double)(4 * i) + 1), before);
        Assert.Equal(before, await ReadAll("t1"));
        Assert.Empty((await store.ReadAsync(new HistoryRead(["nobody"], [], T0, T0.AddDays(1)))).Points);
    }

    [Property(MaxTest = 25)]
    public Property Aggregates_per_bucket_equal_a_reference_computation(PositiveInt bucketMinutes, NonEmptyArray<int> raw)
    {
        var bucket = TimeSpan.FromMinutes((bucketMinutes.Get % 90) + 1);
        // Each number gives a twin, a name, a time within 18 hours (ties likely) and a value.
        var points = raw.Get.Select(n => Point("tw" + ((n & 0xff) % 3), (n & 0x100) == 0 ? "x" : "y", (n >>> 9) % 4096 * 16, (short)n / 8.0)).ToList();
        using var folder = new TempDataDirectory();
        var actual = Task.Run(async () =>
        {
            // A tiny compaction threshold puts points in both the sorted archive and the recent table.
            await using var store = DuckDbHistoryStore.Open(folder.Path, new HistoryStoreOptions { CompactionRows = 10 });
            // In several appends, as devices would send them.
            foreach (var chunk in points.Chunk(7))
            {
                await store.AppendAsync(chunk);
            }
            if (bucketMinutes.Get % 2 == 0)
            {
                await store.CompactAsync();
            }
            return await store.AggregateAsync(new HistoryAggregation([], [], T0, T0.AddDays(1), bucket, HistoryAggregates.All));
        }).GetAwaiter().GetResult();

        var expected = points
            .Select((p, arrival) => (p, arrival))
            .GroupBy(x => (x.p.TwinId, x.p.Name, Start: DateTimeOffset.UnixEpoch.AddTicks((x.p.Time - DateTimeOffset.UnixEpoch).Ticks / bucket.Ticks * bucket.Ticks)))
            .OrderBy(g => g.Key.TwinId, StringComparer.Ordinal).ThenBy(g => g.Key.Name, StringComparer.Ordinal).ThenBy(g => g.Key.Start)
            .ToList();
        if (actual.Count != expected.Count)
        {
            return false.Label($"{actual.Count} buckets, expected {expected.Count}");
        }
        for (var i = 0; i < expected.Count; i++)
        {
            var values = expected[i].Select(x => x.p.Number!.Value).ToList();
            var ordered = expected[i].OrderBy(x => x.p.Time).ThenBy(x => x.arrival).Select(x => x.p.Number!.Value).ToList();
            var mean = values.Average();
            double? stddev = values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1)) : null;
            var reference = new Dictionary<HistoryAggregate, double?>
            {
                [HistoryAggregate.Avg] = mean,
                [HistoryAggregate.Min] = values.Min(),
                [HistoryAggregate.Max] = values.Max(),
                [HistoryAggregate.Sum] = values.Sum(),
                [HistoryAggregate.Count] = values.Count,
                [HistoryAggregate.First] = ordered[0],
                [HistoryAggregate.Last] = ordered[^1],
                [HistoryAggregate.StdDev] = stddev,
            };
            var got = actual[i];
            if ((got.TwinId, got.Name, got.Start) != (expected[i].Key.TwinId, expected[i].Key.Name, expected[i].Key.Start))
            {
                return false.Label($"bucket {i}: {got.TwinId}/{got.Name}@{got.Start:O}, expected {expected[i].Key}");
            }
            foreach (var (aggregate, want) in reference)
            {
                var have = got.Values[aggregate];
                if (want is null ? have is not null : have is null || Math.Abs(have.Value - want.Value) > 1e-9 * Math.Max(1, Math.Abs(want.Value)))
                {
                    return false.Label($"bucket {i} {aggregate}: {have}, expected {want}");
                }
            }
        }
        return true.ToProperty();
    }
}
