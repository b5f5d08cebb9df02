using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Doppel.IntegrationTests.Support;

/// <summary>The real `doppel` command in a child process: what a user runs, what Ctrl+C interrupts, and what a crash test can SIGKILL.</summary>
internal sealed partial class DoppelProcess : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly List<(Func<string, bool> Matches, TaskCompletionSource<string> Seen)> _waiters = [];
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _streamsOpen = 2;

    private DoppelProcess(Process process) => _process = process;

    public List<Uri> Addresses { get; } = [];

    /// <summary>The embedded MQTT broker's port, as the server printed it.</summary>
    public int? MqttPort { get; private set; }

    /// <summary>Everything printed so far, standard error's lines prefixed "stderr: ".</summary>
    public string Output { get { lock (_output) { return string.Join("\n", _output); } } }

    public static string CliPath => Path.Combine(AppContext.BaseDirectory, "Doppel.Cli.dll");

    /// <summary>Runs a CLI command to completion and returns its exit code and output.</summary>
    public static Task<(int ExitCode, string StdOut, string StdErr)> RunAsync(params string[] args) => RunWithInputAsync(null, args);

    /// <summary>Runs a CLI command with its API key in DOPPEL_API_KEY, as a user would export it.</summary>
    public static async Task<(int ExitCode, string StdOut, string StdErr)> RunWithKeyAsync(string apiKey, params string[] args)
    {
        var info = StartInfo(args);
        info.Environment["DOPPEL_API_KEY"] = apiKey;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs a CLI command with <paramref name="stdin"/> piped to it (null: an empty pipe) and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string StdOut, string StdErr)> RunWithInputAsync(string? stdin, params string[] args)
    {
        var info = StartInfo(args);
        info.RedirectStandardInput = true;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(stdin ?? "");
        process.StandardInput.Close();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts a CLI command that runs until it is stopped (serve, watch, import); its lines are collected as they come.</summary>
    public static DoppelProcess Start(params string[] args)
    {
        var process = Process.Start(StartInfo(args))!;
        var started = new DoppelProcess(process);
        process.OutputDataReceived += (_, e) => started.OnLine(e.Data, "");
        process.ErrorDataReceived += (_, e) => started.OnLine(e.Data, "stderr: ");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    /// <summary>Starts `doppel serve` (its MQTT broker on a free port unless <paramref name="extra"/> names one) and returns once it is ready.</summary>
    public static async Task<DoppelProcess> ServeAsync(string dataDirectory, string urls, params string[] extra)
    {
        string[] mqtt = extra.Contains("--mqtt-port") || extra.Contains("--no-mqtt") ? [] : ["--mqtt-port", "0"];
        var server = Start(["serve", "--data", dataDirectory, "--urls", urls, .. mqtt, .. extra]);
        await server.WaitForLineAsync(line => line.Contains("Press Ctrl+C to stop", StringComparison.Ordinal));
        return server;
    }

    /// <summary>The first line (stdout, or stderr prefixed "stderr: ") that matches, seen before or after this call; fails if the process ends first.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> matches)
    {
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_output)
        {
            if (_output.FirstOrDefault(matches) is { } line)
            {
                return line;
            }
            _waiters.Add((matches, seen));
        }
        if (await Task.WhenAny(seen.Task, _ended.Task).WaitAsync(Patience) != seen.Task)
        {
            throw new InvalidOperationException("doppel exited before printing the line waited for:\n" + Output);
        }
        return await seen.Task;
    }

    public Uri Address(string scheme) => Addresses.First(a => a.Scheme == scheme);

    /// <summary>Ctrl+C: SIGINT, as a terminal sends it; returns the exit code once the process has ended.</summary>
    public async Task<int> InterruptAsync()
    {
        using (var kill = Process.Start(new ProcessStartInfo("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))!)
        {
            await kill.WaitForExitAsync();
        }
        await _process.WaitForExitAsync().WaitAsync(Patience);
        await _ended.Task.WaitAsync(Patience);
        return _process.ExitCode;
    }

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
        // What the user's environment might set must not change what a test sees.
        info.Environment.Remove("DOPPEL_SERVER");
        info.Environment.Remove("DOPPEL_DEBUG");
        info.Environment.Remove("NO_COLOR");
        info.Environment.Remove("DOPPEL_API_KEY");
        info.Environment.Remove("DOPPEL_TOKEN");
        info.ArgumentList.Add(CliPath);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        return info;
    }

    private void OnLine(string? data, string prefix)
    {
        if (data is null)
        {
            if (Interlocked.Decrement(ref _streamsOpen) == 0)
            {
                _ended.TrySetResult();
            }
            return;
        }
        var line = prefix + data;
        List<TaskCompletionSource<string>> matched;
        lock (_output)
        {
            _output.Add(line);
            if (Listening().Match(data) is { Success: true } match)
            {
                Addresses.Add(new Uri(match.Groups[1].Value));
            }
            else if (MqttListening().Match(data) is { Success: true } mqtt)
            {
                MqttPort = int.Parse(mqtt.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
            matched = [.. _waiters.Where(w => w.Matches(line)).Select(w => w.Seen)];
            _waiters.RemoveAll(w => w.Matches(line));
        }
        foreach (var seen in matched)
        {
            seen.TrySetResult(line);
        }
    }

    [GeneratedRegex(@"listening on (\S+)")]
    private static partial Regex Listening();

    [GeneratedRegex(@"MQTT broker on mqtt://[^:]+:(\d+)")]
    private static partial Regex MqttListening();
}
