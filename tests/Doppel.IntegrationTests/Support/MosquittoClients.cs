using System.Diagnostics;

namespace Doppel.IntegrationTests.Support;

/// <summary>Debian's mosquitto_pub and mosquitto_sub (package mosquitto-clients, which eng/test.sh installs), run as a user would.</summary>
internal static class MosquittoClients
{
    public const string Pub = "/usr/bin/mosquitto_pub";
    public const string Sub = "/usr/bin/mosquitto_sub";

    /// <summary>Runs mosquitto_pub to completion (bounded) and returns its exit code and output.</summary>
    public static Task<(int ExitCode, string Output)> PublishAsync(params string[] args) => RunAsync(Pub, args);

    /// <summary>Runs mosquitto_sub to completion (give it -C and -W so that it ends) and returns its exit code and output.</summary>
    public static Task<(int ExitCode, string Output)> SubscribeAsync(params string[] args) => RunAsync(Sub, args);

    private static async Task<(int ExitCode, string Output)> RunAsync(string executable, string[] args)
    {
        Assert.True(File.Exists(executable), $"{executable} is missing: run eng/test.sh, which installs Debian's mosquitto-clients package.");
        var info = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            Assert.Fail($"{Path.GetFileName(executable)} {string.Join(' ', args)} did not finish in 90 s:\n{await stdout}{await stderr}");
        }
        return (process.ExitCode, await stdout + await stderr);
    }
}
