using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Doppel.IntegrationTests.Support;

/// <summary>
/// A real OpenID Connect issuer on a free loopback port, as an identity provider serves one: a discovery document
/// (<c>/.well-known/openid-configuration</c>) and its signing keys (a JWKS of one RSA key made for the test). It signs
/// tokens as the provider would, with the times of its own clock, so a test issues an expired token without waiting.
/// </summary>
public sealed class TestIssuer : IAsyncDisposable
{
    private const string KeyId = "doppel-test-key";

    private readonly WebApplication _app;
    private readonly RSA _key = RSA.Create(2048);

    private TestIssuer(WebApplication app) => _app = app;

    /// <summary>The issuer, as the discovery document and the tokens' <c>iss</c> name it (and as Doppel's --auth-authority).</summary>
    public Uri Authority { get; private set; } = null!;

    public static async Task<TestIssuer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var issuer = new TestIssuer(app);
        app.MapGet("/.well-known/openid-configuration", () => Results.Text(new JsonObject
        {
            ["issuer"] = issuer.Name,
            ["jwks_uri"] = issuer.Name + "/discovery/keys",
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
            ["response_types_supported"] = new JsonArray("code"),
            ["subject_types_supported"] = new JsonArray("public"),
        }.ToJsonString(), "application/json"));
        app.MapGet("/discovery/keys", () =>
        {
            var parameters = issuer._key.ExportParameters(includePrivateParameters: false);
            var jwk = new JsonObject
            {
                ["kty"] = "RSA",
                ["use"] = "sig",
                ["alg"] = "RS256",
                ["kid"] = KeyId,
                ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
                ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
            };
            return Results.Text(new JsonObject { ["keys"] = new JsonArray(jwk) }.ToJsonString(), "application/json");
        });
        await app.StartAsync();
        issuer.Authority = new Uri(app.Urls.First());
        return issuer;
    }

    /// <summary>The issuer's name, without the trailing slash, as providers such as Entra ID write it.</summary>
    public string Name => Authority.ToString().TrimEnd('/');

    /// <summary>A signed token for <paramref name="subject"/> with these roles (the <c>roles</c> claim, as Entra ID's app roles).</summary>
    /// <param name="subject">The <c>sub</c> claim.</param>
    /// <param name="audience">The <c>aud</c> claim.</param>
    /// <param name="roles">The <c>roles</c> claim; none leaves it out.</param>
    /// <param name="issuedAt">When it was issued (default now); it is valid for an hour from then.</param>
    /// <param name="signedBy">Another key to sign with (under the issuer's key id): a forged token.</param>
    public string Token(string subject, string audience, string[] roles, DateTimeOffset? issuedAt = null, RSA? signedBy = null)
    {
        var issued = issuedAt ?? DateTimeOffset.UtcNow;
        var claims = new Dictionary<string, object> { ["sub"] = subject };
        if (roles.Length > 0)
        {
            claims["roles"] = roles;
        }
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Name,
            Audience = audience,
            Claims = claims,
            IssuedAt = issued.UtcDateTime,
            NotBefore = issued.UtcDateTime,
            Expires = issued.AddHours(1).UtcDateTime,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(signedBy ?? _key) { KeyId = KeyId }, SecurityAlgorithms.RsaSha256),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _key.Dispose();
    }
}
