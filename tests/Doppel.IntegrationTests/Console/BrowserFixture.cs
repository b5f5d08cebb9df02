using Microsoft.Playwright;

namespace Doppel.IntegrationTests.WebConsole;

/// <summary>
/// Debian's headless Chromium driven by Playwright, one for every console test (the "Console" collection runs them one
/// after another). Playwright's own browser download is not reachable here: the system's <c>/usr/bin/chromium</c>
/// (or <c>DOPPEL_CHROMIUM</c>) is launched, and eng/test.sh installs it when it is missing.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private static readonly string[] Flags =
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public static string Executable => Environment.GetEnvironmentVariable("DOPPEL_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(Executable), $"The console tests drive Debian's Chromium at {Executable}, which is missing: run eng/test.sh (it installs it) or 'apt-get install chromium'.");
        _playwright = await Playwright.CreateAsync();
        // Launch gives every browser a fresh temporary profile (user-data dir), removed when it closes.
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Executable, Headless = true, Args = Flags, Timeout = 60_000 });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }
        _playwright?.Dispose();
    }

    /// <summary>A new tab in a fresh context (no cookies, no storage) at the console of <paramref name="server"/>.</summary>
    public async Task<ConsolePage> OpenAsync(Uri server, string test, string path = "")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.ToString(), ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        var page = await context.NewPageAsync();
        var console = new ConsolePage(context, page, test);
        await console.GoToAsync(path);
        return console;
    }
}

/// <summary>Every browser test of the console shares one browser and runs one at a time (they are heavy on 2 cores).</summary>
[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Console";
}
