using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Doppel.IntegrationTests.Support;
using Microsoft.Playwright;

namespace Doppel.IntegrationTests.WebConsole;

/// <summary>
/// A tab on the console. Any error in the browser's console or an uncaught error in the page fails the test when the
/// tab is disposed (unless the test said to expect it, as a test of a refused request must: Chromium logs the 403),
/// and a screenshot of the page is kept at <c>artifacts/console/&lt;test&gt;.png</c> either way.
/// </summary>
public sealed class ConsolePage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly List<Regex> _expected = [];
    private readonly string _test;

    internal ConsolePage(IBrowserContext context, IPage page, string test)
    {
        _context = context;
        _test = test;
        Page = page;
        page.SetDefaultTimeout(30_000);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                _errors.Enqueue($"console error: {message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => _errors.Enqueue($"page error: {error}");
    }

    public IPage Page { get; }

    /// <summary>Where screenshots go: artifacts/console/ at the repository's root.</summary>
    public static string ArtifactsFolder { get; } = Path.Combine(Repository.Root, "artifacts", "console");

    /// <summary>The browser console's errors so far (expected ones included).</summary>
    public IReadOnlyList<string> Errors => [.. _errors];

    /// <summary>Opens a console page by its hash route ("twins/pump-1"), and waits for the shell to be signed in or to ask for sign-in.</summary>
    public async Task GoToAsync(string route)
    {
        await Page.GotoAsync(route.Length == 0 ? "/" : "/#/" + route);
        await Assertions.Expect(Page.Locator(".shell, .sign-in")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 30_000 });
    }

    /// <summary>Signs in on the sign-in page with an API key, as a user pastes it, and waits for the shell.</summary>
    public async Task SignInAsync(string apiKey)
    {
        await Page.GetByLabel("API key").FillAsync(apiKey);
        await Page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Sign in", Exact = true }).ClickAsync();
        await Assertions.Expect(Page.GetByTestId("who")).ToBeVisibleAsync();
    }

    /// <summary>An error the test causes on purpose (a refused request, which Chromium logs), so it does not fail the test.</summary>
    public void ExpectConsoleError(string pattern) => _expected.Add(new Regex(pattern, RegexOptions.IgnoreCase));

    /// <summary>Saves a screenshot as artifacts/console/&lt;test&gt;[-suffix].png and answers its path.</summary>
    public async Task<string> ScreenshotAsync(string? suffix = null, bool fullPage = false)
    {
        Directory.CreateDirectory(ArtifactsFolder);
        var path = Path.Combine(ArtifactsFolder, _test + (suffix is null ? "" : "-" + suffix) + ".png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = fullPage });
        return path;
    }

    /// <summary>Fails when the page logged an error nobody expected.</summary>
    public void AssertNoErrors()
    {
        var unexpected = _errors.Where(e => !_expected.Any(x => x.IsMatch(e))).ToList();
        Assert.True(unexpected.Count == 0, $"The browser reported errors on {Page.Url}:\n{string.Join("\n", unexpected)}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!Page.IsClosed)
            {
                await ScreenshotAsync();
            }
            AssertNoErrors();
        }
        finally
        {
            await _context.CloseAsync();
        }
    }
}
