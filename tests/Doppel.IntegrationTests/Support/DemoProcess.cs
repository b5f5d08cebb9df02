using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Doppel.IntegrationTests.Support;

/// <summary>`doppel demo` in a child process: its banner (the API address, the commands it suggests), and a stop by SIGINT as Ctrl+C sends it.</summary>
internal sealed partial class DemoProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stderr;

    private DemoProcess(Process process)
    {
        _process = process;
        _stderr = process.StandardError.ReadToEndAsync();
    }

    public Uri Api { get; private set; } = null!;

    /// <summary>The port of the demo's MQTT broker, from its banner.</summary>
    public int MqttPort { get; private set; }

    /// <summary>The banner's lines, up to "Press Ctrl+C to stop."</summary>
    public List<string> Banner { get; } = [];

    /// <summary>The commands the banner says to try, as printed.</summary>
    public IEnumerable<string> Hints => Banner.Select(l => Hint().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value);

    /// <summary>Starts the demo and returns once its banner is printed (the server is up, the sample loaded, the demo running).</summary>
    public static async Task<DemoProcess> StartAsync(params string[] args)
    {
        var demo = new DemoProcess(Process.Start(DoppelProcess.StartInfo(["demo", .. args]))!);
        while (await demo._process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(2)) is { } line)
        {
            demo.Banner.Add(line);
            if (ApiLine().Match(line) is { Success: true } match)
            {
                demo.Api = new Uri(match.Groups[1].Value);
            }
            if (MqttLine().Match(line) is { Success: true } mqtt)
            {
                demo.MqttPort = int.Parse(mqtt.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
            if (line.Contains("Press Ctrl+C to stop.", StringComparison.Ordinal))
            {
                return demo;
            }
        }
        Assert.Fail($"The demo ended before its banner:\n{string.Join("\n", demo.Banner)}\n{await demo._stderr}");
        return demo;
    }

    /// <summary>Sends SIGINT (what Ctrl+C sends) and waits for the demo to end: its exit code and what it wrote after the banner.</summary>
    public async Task<(int ExitCode, string StdOut, string StdErr)> InterruptAsync()
    {
        using (var kill = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!)
        {
            await kill.WaitForExitAsync();
        }
        var rest = await _process.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromMinutes(1));
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        return (_process.ExitCode, rest, await _stderr);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    [GeneratedRegex(@"API (http://\S+)")]
    private static partial Regex ApiLine();

    [GeneratedRegex(@"MQTT mqtt://[^\s:]+:(\d+)")]
    private static partial Regex MqttLine();

    [GeneratedRegex(@"^\s+(?:try: )?\s*(\S.*--server http://\S+)$")]
    private static partial Regex Hint();
}
