using Doppel.IntegrationTests.Support;

namespace Doppel.IntegrationTests.WebConsole;

/// <summary>`doppel demo` (the sample factory, live over MQTT) in a child process on free ports, for a class of console tests.</summary>
public sealed class DemoFixture : IAsyncLifetime
{
    private DemoProcess? _demo;

    /// <summary>The demo's address: the API and, to a browser, the console.</summary>
    public Uri Address => _demo!.Api;

    public string DataDirectory { get; } = Repository.TempFolder();

    public async Task InitializeAsync() =>
        _demo = await DemoProcess.StartAsync("--data", DataDirectory, "--urls", "http://127.0.0.1:0", "--mqtt-port", "0", "--rate", "40", "--speed", "20", "--seed", "13");

    public async Task DisposeAsync()
    {
        if (_demo is not null)
        {
            await _demo.DisposeAsync();
        }
    }
}
