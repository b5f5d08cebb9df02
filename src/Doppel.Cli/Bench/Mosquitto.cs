using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Doppel.Cli.Devices;
using MQTTnet;

namespace Doppel.Cli.Bench;

/// <summary>A Mosquitto broker started for a bench run on a free loopback port (no persistence), stopped on dispose.</summary>
internal sealed class Mosquitto : IAsyncDisposable
{
    /// <summary>Where the Debian and Ubuntu package installs it; overridden by <c>DOPPEL_MOSQUITTO</c>.</summary>
    public static string Executable => Environment.GetEnvironmentVariable("DOPPEL_MOSQUITTO") ?? "/usr/sbin/mosquitto";

    private readonly Process _process;
    private readonly string _folder;

    private Mosquitto(Process process, string folder, int port, string version) => (_process, _folder, Port, Version) = (process, folder, port, version);

    public int Port { get; }

    /// <summary>The broker's version as it reports it, e.g. "2.0.11".</summary>
    public string Version { get; }

    public Uri Address => new($"mqtt://127.0.0.1:{Port}");

    public static bool IsInstalled => File.Exists(Executable);

    /// <summary>Starts it and returns once an MQTT client can connect.</summary>
    public static async Task<Mosquitto> StartAsync(CancellationToken ct)
    {
        var folder = Path.Combine(Path.GetTempPath(), "doppel-mosquitto-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var port = FreePort();
        var config = Path.Combine(folder, "mosquitto.conf");
        // No limits on in-flight or queued messages: with 64 publishers x 32 in flight, the defaults (20 in flight, 1,000
        // queued per client) would throttle the publishers or drop messages for the subscriber, and Doppel has neither limit.
        await File.WriteAllTextAsync(config, $"""
            listener {port} 127.0.0.1
            allow_anonymous true
            persistence false
            max_inflight_messages 0
            max_queued_messages 0
            log_dest none

            """, ct);
        var version = await VersionAsync(ct);
        var info = new ProcessStartInfo(Executable) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(config);
        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {Executable}.");
        var broker = new Mosquitto(process, folder, port, version);
        // Mosquitto says nothing when it is ready, so connect until it accepts (or it exits).
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var probe = await DeviceSimulator.ConnectAsync(broker.Address, "doppel-bench-ready", ct);
                await probe.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), ct);
                return broker;
            }
            catch (Exception e) when (e is not OperationCanceledException && attempt < 100 && !process.HasExited)
            {
                await Task.Delay(50, ct);
            }
            catch
            {
                await broker.DisposeAsync();
                throw;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private static async Task<string> VersionAsync(CancellationToken ct)
    {
        var info = new ProcessStartInfo(Executable, "-h") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync(ct) + await process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("mosquitto version", StringComparison.Ordinal));
        return line?["mosquitto version".Length..].Trim() ?? "?";
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
