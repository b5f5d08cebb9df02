using Doppel.IntegrationTests.Support;
using Microsoft.Playwright;

namespace Doppel.IntegrationTests.WebConsole;

/// <summary>The console's shell in a real browser: served by the server itself, signed in as the loopback's anonymous owner.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ShellTests(BrowserFixture browser, ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task The_console_loads_at_the_root_with_its_navigation_and_the_signed_in_subject()
    {
        await using var tab = await browser.OpenAsync(server.Server.HttpAddress!, nameof(The_console_loads_at_the_root_with_its_navigation_and_the_signed_in_subject));

        await Assertions.Expect(tab.Page.GetByTestId("who")).ToContainTextAsync("anonymous");
        await Assertions.Expect(tab.Page.Locator("nav.side a").First).ToBeVisibleAsync();
        await Assertions.Expect(tab.Page.Locator("h1")).ToHaveTextAsync("Overview");
    }
}
