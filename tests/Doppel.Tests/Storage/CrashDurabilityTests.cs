using System.Diagnostics;
using System.Globalization;
using Doppel.Storage;

namespace Doppel.Tests.Storage;

public sealed class CrashDurabilityTests
{
    private const int AcksBeforeKill = 3000;

    [Fact]
    public async Task Every_acknowledged_batch_survives_kill_9_and_no_batch_is_half_applied()
    {
        // Given a child process committing batches from concurrent writers into a folder
        using var folder = new TempDataDirectory();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2)); // a safety net, not a wait
        using var child = StartCrashWriter(folder.Path);
        var acknowledged = new HashSet<long>();
        try
        {
            var stdout = child.StandardOutput;
            Assert.Equal(CrashWriter.ReadyLine, await ReadLineOrFailAsync(child, timeout.Token));

            // The folder is held by the child: a second store is refused instead of sharing the file.
            await Assert.ThrowsAsync<DataDirectoryInUseException>(() => folder.OpenAsync());

            while (acknowledged.Count < AcksBeforeKill)
            {
                acknowledged.Add(ParseAck(await ReadLineOrFailAsync(child, timeout.Token)));
            }

            // When it is killed with SIGKILL in the middle of the stream
            child.Kill(entireProcessTree: true);

            // Lines already in the pipe were acknowledged before the kill as well; a torn last line was not.
            while (await stdout.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line.EndsWith(';'))
                {
                    acknowledged.Add(ParseAck(line));
                }
            }

            await child.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill(entireProcessTree: true);
            }
        }

        // Then the reopened store has every acknowledged batch, and every batch it has is whole
        await using var store = await folder.OpenAsync();
        var snapshot = await store.LoadAsync(timeout.Token);
        var twinsPerBatch = new Dictionary<long, int>();
        foreach (var twin in snapshot.Twins)
        {
            var batch = long.Parse(twin.Id.AsSpan(1, twin.Id.IndexOf('-', StringComparison.Ordinal) - 1), CultureInfo.InvariantCulture);
            twinsPerBatch[batch] = twinsPerBatch.GetValueOrDefault(batch) + 1;
        }

        var relationshipSources = snapshot.Relationships.Select(r => r.SourceId).ToHashSet();
        var missing = acknowledged.Where(b => !twinsPerBatch.ContainsKey(b)).Order().Take(10).ToList();
        Assert.True(missing.Count == 0, $"Acknowledged batches missing after the crash: {string.Join(", ", missing)}");
        foreach (var (batch, count) in twinsPerBatch)
        {
            Assert.True(count == CrashWriter.TwinsPerBatch, $"Batch {batch} is half-applied: {count} of {CrashWriter.TwinsPerBatch} twins.");
            Assert.Contains(CrashWriter.TwinId(batch, 0), relationshipSources);
        }

        Assert.Equal(twinsPerBatch.Count, snapshot.Relationships.Count);
    }

    private static long ParseAck(string line)
    {
        Assert.StartsWith("ack ", line, StringComparison.Ordinal);
        Assert.EndsWith(";", line, StringComparison.Ordinal);
        return long.Parse(line.AsSpan(4, line.Length - 5), CultureInfo.InvariantCulture);
    }

    private static async Task<string> ReadLineOrFailAsync(Process child, CancellationToken ct)
    {
        var line = await child.StandardOutput.ReadLineAsync(ct);
        if (line is null)
        {
            var stderr = await child.StandardError.ReadToEndAsync(ct);
            Assert.Fail($"The crash writer ended early (exit code {(child.HasExited ? child.ExitCode : -1)}): {stderr}");
        }

        return line;
    }

    private static Process StartCrashWriter(string folder)
    {
        var testAssembly = typeof(CrashWriter).Assembly.Location;
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(testAssembly);
        start.ArgumentList.Add("crash-writer");
        start.ArgumentList.Add(folder);
        return Process.Start(start) ?? throw new InvalidOperationException("Could not start the crash writer.");
    }

    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath))
        {
            return hostPath;
        }

        return Environment.ProcessPath is { } processPath && Path.GetFileNameWithoutExtension(processPath) == "dotnet" ? processPath : "dotnet";
    }
}
