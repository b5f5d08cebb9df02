using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Doppel.IntegrationTests.Support;

/// <summary>A real Mosquitto (Debian's, which eng/test.sh installs) on a free loopback port, for the bridge tests.</summary>
internal sealed class MosquittoProcess : IAsyncDisposable
{
    public const string Executable = "/usr/sbin/mosquitto";

    private readonly Process _process;
    private readonly string _folder;

    private MosquittoProcess(Process process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    public static async Task<MosquittoProcess> StartAsync()
    {
        Assert.True(File.Exists(Executable), $"{Executable} is missing: run eng/test.sh, which installs Debian's mosquitto package.");
        var folder = Repository.TempFolder();
        Directory.CreateDirectory(folder);
        var port = FreePort();
        var config = Path.Combine(folder, "mosquitto.conf");
        await File.WriteAllTextAsync(config, $"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 100000\n");
        var process = Process.Start(new ProcessStartInfo(Executable, ["-c", config]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var mosquitto = new MosquittoProcess(process, folder, port);
        // Ready when it accepts a connection; it exits at once if it cannot start.
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return mosquitto;
            }
            catch (SocketException) when (!process.HasExited && deadline.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Yield();
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
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
