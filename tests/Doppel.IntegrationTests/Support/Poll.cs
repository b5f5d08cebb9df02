namespace Doppel.IntegrationTests.Support;

/// <summary>Waits on the system: reads its state until a condition holds, within a bound that fails the test.</summary>
internal static class Poll
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Reads until <paramref name="done"/> holds and returns what was read last; fails after <paramref name="timeout"/>.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }
            Assert.True(watch.Elapsed < (timeout ?? DefaultTimeout), $"Timed out waiting for {what}; last read: {value}");
            await Task.Delay(20);
        }
    }
}
