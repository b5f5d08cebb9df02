using Doppel.Storage;

namespace Doppel.Tests.Storage;

/// <summary>
/// Runs in a child process: commits batches from several concurrent writers until killed and prints
/// <c>ack <c>ack &lt;batch&gt;</c>lt;batch<c>ack &lt;batch&gt;</c>gt;;</c> (the semicolon proves the line is whole) after each batch is durable. Each batch writes <see cref="TwinsPerBatch"/> twins
/// and one relationship, so a half-applied batch is visible after the crash.
/// </summary>
internal static class CrashWriter
{
    public const int Writers = 8;
    public const int TwinsPerBatch = 3;
    public const string ReadyLine = "ready";

    public static string TwinId(long batch, int index) => $"b{batch}-t{index}";

    public static async Task<int> RunAsync(string folder)
    {
        await using var store = await SqliteTwinStore.OpenAsync(new StorageOptions { DataDirectory = folder });
        await Console.Out.WriteLineAsync(ReadyLine);
        var next = -1L;
        var writers = new Task[Writers];
        for (var w = 0; w < writers.Length; w++)
        {
            writers[w] = Task.Run(async () =>
            {
                while (true)
                {
                    var batchNumber = Interlocked.Increment(ref next);
                    var batch = new StoreBatch();
                    for (var i = 0; i < TwinsPerBatch; i++)
                    {
                        batch.PutTwin(TwinId(batchNumber, i), $$"""{"$dtId":"{{TwinId(batchNumber, i)}}","n":{{batchNumber}}}""");
                    }

                    batch.PutRelationship(TwinId(batchNumber, 0), "r", TwinId(batchNumber, 1), "next", "{}");
                    await store.CommitAsync(batch);
                    Console.Out.WriteLine($"ack {batchNumber};");
                }
            });
        }

        await Task.WhenAll(writers);
        return 0;
    }
}
