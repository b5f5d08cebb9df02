using System.Diagnostics;

namespace Doppel.Tests.Fuzzing;

/// <summary>What a fuzz campaign run in its own process left: a crash or a hang there cannot take the test run down.</summary>
internal sealed record ChildRun(int ExitCode, string StdOut, string StdErr, bool TimedOut);

/// <summary>Runs this test assembly's own entry point (a campaign or a replay) as a child process, killed after a timeout.</summary>
internal static class FuzzChildProcess
{
    public static async Task<ChildRun> RunAsync(TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo(DotnetHost()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(typeof(FuzzChildProcess).Assembly.Location);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // A crashing runtime would otherwise write a core dump of the whole process for every replay.
        start.Environment["DOTNET_DbgEnableMiniDump"] = "0";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the fuzz campaign.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            timedOut = true;
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        return new ChildRun(process.ExitCode, await stdout, await stderr, timedOut);
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host
        : Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
}
