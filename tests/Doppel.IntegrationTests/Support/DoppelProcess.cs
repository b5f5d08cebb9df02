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

    /// <summary>The embedded MQTT broker's port, as the server printed it.</summary>
    public int? MqttPort { get; private set; }

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

    /// <summary>Starts `doppel serve` (its MQTT broker on a free port unless <paramref name="extra"/> names one) and returns once it is ready.</summary>
    public static async Task<DoppelProcess> ServeAsync(string dataDirectory, string urls, params string[] extra)
    {
        string[] mqtt = extra.Contains("--mqtt-port") || extra.Contains("--no-mqtt") ? [] : ["--mqtt-port", "0"];
        var process = Process.Start(StartInfo(["serve", "--data", dataDirectory, "--urls", urls, .. mqtt, .. extra]))!;
        var server = new DoppelProcess(process);
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
                }
            }
            else if (MqttListening().Match(e.Data) is { Success: true } mqttMatch)
            {
                server.MqttPort = int.Parse(mqttMatch.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (e.Data.Contains("Press Ctrl+C to stop", StringComparison.Ordinal))
            {
                ready.TrySetResult();
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

    public static ProcessStartInfo StartInfo(IEnumerable<string> args)
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

    [GeneratedRegex(@"MQTT broker on mqtt://[^:]+:(\d+)")]
    private static partial Regex MqttListening();
}
