using Doppel.Storage;
using Microsoft.Data.Sqlite;

namespace Doppel.Tests.Storage;

public sealed class SqliteTwinStoreTests : IDisposable
{
    private static readonly DateTimeOffset UploadTime = new(2025, 3, 1, 12, 30, 15, 123, TimeSpan.FromHours(2));

    private readonly TempDataDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Every_change_type_round_trips_through_a_reopen()
    {
        // Given a store with one of everything, some of it put and deleted again
        await using (var store = await _folder.OpenAsync())
        {
            await store.CommitAsync(new StoreBatch()
                .PutModel("dtmi:com:example:Room;1", """{"@id":"dtmi:com:example:Room;1"}""", UploadTime, decommissioned: false)
                .PutModel("dtmi:com:example:Gone;1", "{}", UploadTime, decommissioned: false)
                .PutTwin("room1", """{"$dtId":"room1"}""")
                .PutTwin("gone", "{}")
                .PutRelationship("room1", "r1", "room2", "contains", """{"$relationshipId":"r1"}""")
                .PutRelationship("room1", "gone", "room2", "contains", "{}")
                .PutEventRoute("route1", """{"id":"route1"}""")
                .PutEventRoute("gone", "{}"));
            await store.CommitAsync(new StoreBatch()
                .DeleteModel("dtmi:com:example:Gone;1")
                .DeleteTwin("gone")
                .DeleteRelationship("room1", "gone")
                .DeleteEventRoute("gone"));
        }

        // When it is reopened and loaded
        await using var reopened = await _folder.OpenAsync();
        var snapshot = await reopened.LoadAsync();

        // Then exactly the surviving rows are there, field by field
        Assert.Equal([new StoredModel("dtmi:com:example:Room;1", """{"@id":"dtmi:com:example:Room;1"}""", UploadTime, false)], snapshot.Models);
        Assert.Equal(UploadTime.Offset, snapshot.Models[0].UploadTime.Offset);
        Assert.Equal([new StoredTwin("room1", """{"$dtId":"room1"}""")], snapshot.Twins);
        Assert.Equal([new StoredRelationship("room1", "r1", "room2", "contains", """{"$relationshipId":"r1"}""")], snapshot.Relationships);
        Assert.Equal([new StoredEventRoute("route1", """{"id":"route1"}""")], snapshot.EventRoutes);
    }

    [Fact]
    public async Task Documents_of_one_kind_load_by_id_without_the_other_kinds()
    {
        await using var store = await _folder.OpenAsync();
        await store.CommitAsync(new StoreBatch()
            .PutDocument("run", "b", """{"status":"running"}""")
            .PutDocument("run", "a", "{}")
            .PutDocument("mapping", "a", "{}")
            .PutDocument("run", "b", """{"status":"succeeded"}"""));

        var runs = await store.LoadDocumentsAsync("run");

        Assert.Equal([new StoredDocument("run", "a", "{}"), new StoredDocument("run", "b", """{"status":"succeeded"}""")], runs);
        Assert.Empty(await store.LoadDocumentsAsync("nothing"));
    }

    [Fact]
    public async Task Changes_within_a_batch_apply_in_order()
    {
        await using var store = await _folder.OpenAsync();

        await store.CommitAsync(new StoreBatch()
            .PutTwin("a", "1").PutTwin("a", "2").DeleteTwin("a").PutTwin("a", "3")
            .PutTwin("b", "1").DeleteTwin("b")
            .PutModel("m", "v1", UploadTime, false).PutModel("m", "v2", UploadTime, true));

        var snapshot = await store.LoadAsync();
        Assert.Equal([new StoredTwin("a", "3")], snapshot.Twins);
        Assert.Equal([new StoredModel("m", "v2", UploadTime, true)], snapshot.Models);
    }

    [Fact]
    public async Task Models_load_in_upload_order_and_a_decommissioned_model_keeps_its_place()
    {
        await using var store = await _folder.OpenAsync();
        await store.CommitAsync(new StoreBatch()
            .PutModel("late", "{}", UploadTime.AddMinutes(2), false)
            .PutModel("early", "{}", UploadTime, false)
            .PutModel("middle", "{}", UploadTime.AddMinutes(1), false));

        await store.CommitAsync(new StoreBatch().PutModel("early", "{}", UploadTime, decommissioned: true));

        var snapshot = await store.LoadAsync();
        Assert.Equal(["early", "middle", "late"], snapshot.Models.Select(m => m.Id));
        Assert.True(snapshot.Models[0].Decommissioned);
    }

    [Fact]
    public async Task Concurrent_committers_are_all_durable_and_share_far_fewer_transactions()
    {
        const int Writers = 64;
        const int WritesPerWriter = 200;
        await using var store = await _folder.OpenAsync();

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            await start.Task;
            for (var i = 0; i < WritesPerWriter; i++)
            {
                await store.CommitAsync(new StoreBatch().PutTwin($"w{w}-{i}", $$"""{"w":{{w}},"i":{{i}}}"""));
            }
        })).ToList();
        start.SetResult();
        await Task.WhenAll(writers);

        var snapshot = await store.LoadAsync();
        Assert.Equal(Writers * WritesPerWriter, snapshot.Twins.Count);
        Assert.Equal(Writers * WritesPerWriter, snapshot.Twins.Select(t => t.Id).Distinct().Count());
        Assert.Equal(Writers * WritesPerWriter, store.CommittedBatchCount);
        Assert.True(
            store.TransactionCount * 4 < store.CommittedBatchCount,
            $"{store.CommittedBatchCount} batches took {store.TransactionCount} transactions; expected group commit to merge them.");
    }

    [Fact]
    public async Task A_failing_batch_fails_only_its_own_caller_and_leaves_nothing_behind()
    {
        await using var store = await _folder.OpenAsync();

        // The empty id breaks a CHECK constraint, in the middle of its batch.
        var commits = new List<Task>();
        for (var i = 0; i < 50; i++)
        {
            commits.Add(store.CommitAsync(new StoreBatch().PutTwin($"good{i}", "{}")));
            if (i == 25)
            {
                commits.Add(store.CommitAsync(new StoreBatch().PutTwin("bad-first-half", "{}").PutTwin("", "{}")));
            }
        }

        var failed = commits[26];
        var exception = await Assert.ThrowsAsync<SqliteException>(() => failed);
        Assert.Equal(19, exception.SqliteErrorCode); // SQLITE_CONSTRAINT
        await Task.WhenAll(commits.Where(c => c != failed));

        var snapshot = await store.LoadAsync();
        Assert.Equal(50, snapshot.Twins.Count);
        Assert.DoesNotContain(snapshot.Twins, t => t.Id == "bad-first-half");
    }

    [Fact]
    public async Task Disposing_commits_everything_already_queued_then_refuses_new_batches()
    {
        var store = await _folder.OpenAsync();
        var commits = Enumerable.Range(0, 500).Select(i => store.CommitAsync(new StoreBatch().PutTwin($"t{i}", "{}"))).ToList();

        await store.DisposeAsync();

        await Task.WhenAll(commits);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.CommitAsync(new StoreBatch().PutTwin("late", "{}")));
        await using var reopened = await _folder.OpenAsync();
        Assert.Equal(500, (await reopened.LoadAsync()).Twins.Count);
    }

    [Fact]
    public async Task A_batch_cancelled_before_the_writer_takes_it_is_not_applied()
    {
        await using var store = await _folder.OpenAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.CommitAsync(new StoreBatch().PutTwin("x", "{}"), cancelled.Token));

        Assert.Empty((await store.LoadAsync()).Twins);
    }

    [Theory]
    [InlineData(SynchronousMode.Full, 2L)]
    [InlineData(SynchronousMode.Normal, 1L)]
    public async Task The_database_is_in_WAL_mode_with_the_configured_synchronous_setting(SynchronousMode mode, long expectedPragma)
    {
        await using var store = await _folder.OpenAsync(mode);

        Assert.Equal(Path.Combine(_folder.Path, SqliteTwinStore.DatabaseFileName), store.DatabasePath);
        Assert.Equal("wal", await store.PragmaAsync("journal_mode"));
        Assert.Equal(expectedPragma, await store.PragmaAsync("synchronous"));
        Assert.Equal(2L, await store.PragmaAsync("user_version"));
    }

    [Fact]
    public async Task A_second_store_on_the_same_folder_is_refused_until_the_first_is_disposed()
    {
        var first = await _folder.OpenAsync();

        var refused = await Assert.ThrowsAsync<DataDirectoryInUseException>(() => _folder.OpenAsync());
        Assert.Equal(_folder.Path, refused.DataDirectory);

        await first.DisposeAsync();
        await using var second = await _folder.OpenAsync();
    }

    [Fact]
    public async Task A_store_written_by_a_newer_schema_is_refused()
    {
        await using (var store = await _folder.OpenAsync())
        {
            await store.CommitAsync(new StoreBatch().PutTwin("t", "{}"));
        }

        using (var connection = new SqliteConnection($"Data Source={Path.Combine(_folder.Path, SqliteTwinStore.DatabaseFileName)};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version = 99;";
            command.ExecuteNonQuery();
        }

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => _folder.OpenAsync());
        Assert.Contains("schema version 99", refused.Message, StringComparison.Ordinal);
    }
}
