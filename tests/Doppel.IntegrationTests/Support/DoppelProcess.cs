using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Doppel.IntegrationTests.Support;

/// <summary>The real `doppel` command in a child process: what a user runs, and what a crash test can SIGKILL.</summary>
internal sealed partial class DoppelProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];

    private DoppelProcess(Process process) => _process = process;

    public List<Uri> Addresses { get; } = [];

    public string Output { get { lock (_output) { return string.Join("\n", _output); } } }

    public static string CliPath => Path.Combine(AppContext.BaseDirectory, "Doppel.Cli.dll");

    /// <summary>Runs a CLI command to completion and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string StdOut, string StdErr)> RunAsync(params string[] args)
    {
        using var process = Process.Start(StartInfo(args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts `doppel serve` and returns once it printed every address it listens on.</summary>
    public static async Task<DoppelProcess> ServeAsync(string dataDirectory, string urls)
    {
        var process = Process.Start(StartInfo(["serve", "--data", dataDirectory, "--urls", urls]))!;
        var server = new DoppelProcess(process);
        var expected = urls.Split(';').Length;
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                ready.TrySetException(new InvalidOperationException("doppel serve exited:\n" + server.Output));
                return;
            }
            lock (server._output)
            {
                server._output.Add(e.Data);
            }
            if (Listening().Match(e.Data) is { Success: true } match)
            {
                lock (server.Addresses)
                {
                    server.Addresses.Add(new Uri(match.Groups[1].Value));
                    if (server.Addresses.Count == expected)
                    {
                        ready.TrySetResult();
                    }
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (server._output)
                {
                    server._output.Add("stderr: " + e.Data);
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await ready.Task.WaitAsync(TimeSpan.FromMinutes(2));
        return server;
    }

    public Uri Address(string scheme) => Addresses.First(a => a.Scheme == scheme);

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }
        _process.Dispose();
    }

    private static ProcessStartInfo StartInfo(IEnumerable<string> args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(CliPath);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        return info;
    }

    [GeneratedRegex(@"listening on (\S+)")]
    private static partial Regex Listening();
}
