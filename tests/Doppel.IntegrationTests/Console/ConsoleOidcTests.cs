using Doppel.IntegrationTests.Support;
using Microsoft.Playwright;

namespace Doppel.IntegrationTests.WebConsole;

/// <summary>
/// Signing in to the console with the configured OpenID Connect provider: the browser goes to the provider, comes back
/// with a code, the console trades it (with its PKCE verifier) for a token, and the API takes that token.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleOidcTests(BrowserFixture browser) : IAsyncLifetime
{
    private const string Audience = "api://doppel";
    private TestIssuer _issuer = null!;
    private ServerFixture _server = null!;

    public async Task InitializeAsync()
    {
        _issuer = await TestIssuer.StartAsync();
        _server = new ServerFixture
        {
            Configure = o =>
            {
                o.AuthAuthority = _issuer.Authority;
                o.AuthAudience = Audience;
                o.AuthClientId = "doppel-console";
                o.AuthScope = "api://doppel/access";
            },
        };
        await _server.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _issuer.DisposeAsync();
    }

    [Fact]
    public async Task The_sign_in_settings_name_the_provider_and_the_consoles_client_and_a_client_id_needs_a_provider()
    {
        using var anonymous = new HttpClient { BaseAddress = _server.Server.HttpAddress };
        var config = System.Text.Json.Nodes.JsonNode.Parse(await anonymous.GetStringAsync("/doppel/auth/config"))!;

        Assert.False((bool)config["anonymous"]!);
        Assert.Equal(_issuer.Name, (string?)config["oidc"]!["authority"]);
        Assert.Equal("doppel-console", (string?)config["oidc"]!["clientId"]);
        Assert.Equal("openid api://doppel/access", (string?)config["oidc"]!["scope"]);
        Assert.Contains(new Doppel.Server.DoppelServerOptions { AuthClientId = "doppel-console" }.Validate(), e => e.Contains("--auth-authority", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_user_signs_in_with_the_provider_and_the_console_acts_with_the_token_it_got()
    {
        _issuer.SignInAs("alice", Audience, "reader");
        await using var tab = await browser.OpenAsync(_server.Server.HttpAddress!, nameof(A_user_signs_in_with_the_provider_and_the_console_acts_with_the_token_it_got), "models");

        var button = tab.Page.GetByTestId("sign-in-oidc");
        await Assertions.Expect(button).ToContainTextAsync(_issuer.Authority.Authority);
        await button.ClickAsync();

        await Assertions.Expect(tab.Page.GetByTestId("who")).ToContainTextAsync("oidc:alice");
        await Assertions.Expect(tab.Page.GetByTestId("who")).ToContainTextAsync("reader");
        Assert.Equal([("doppel-console", "alice")], _issuer.Exchanges);
        // Back where the sign-in started, without the code in the address.
        await Assertions.Expect(tab.Page.Locator("h1")).ToContainTextAsync("Models");
        Assert.DoesNotContain("code=", tab.Page.Url, StringComparison.Ordinal);
    }
}
