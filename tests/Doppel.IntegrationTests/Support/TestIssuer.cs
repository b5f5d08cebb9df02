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
/// For browser sign-in it runs the authorization code flow with PKCE (RFC 7636) for a public client: <c>/authorize</c>
/// signs in the user a test chose (<see cref="SignInAs"/>) at once and sends the browser back with a code, and
/// <c>/token</c> trades the code for an access token only with the verifier of its challenge, as a provider would.
/// </summary>
public sealed class TestIssuer : IAsyncDisposable
{
    private const string KeyId = "doppel-test-key";

    private readonly WebApplication _app;
    private readonly RSA _key = RSA.Create(2048);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, PendingCode> _codes = new();
    private (string Subject, string Audience, string[] Roles)? _user;

    private TestIssuer(WebApplication app) => _app = app;

    /// <summary>The codes traded for tokens so far (client id, subject), for a test to see the flow went through.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<(string ClientId, string Subject)> Exchanges { get; } = new();

    /// <summary>Who the next browser that comes to /authorize is, and the audience and roles of the token it gets.</summary>
    public void SignInAs(string subject, string audience, params string[] roles) => _user = (subject, audience, roles);

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
            ["authorization_endpoint"] = issuer.Name + "/authorize",
            ["token_endpoint"] = issuer.Name + "/token",
            ["code_challenge_methods_supported"] = new JsonArray("S256"),
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
        app.MapGet("/authorize", issuer.Authorize);
        app.MapPost("/token", issuer.TokenAsync);
        // A single-page application reads discovery and the token endpoint from its own origin (CORS), as providers allow.
        app.Use(async (context, next) =>
        {
            context.Response.Headers.AccessControlAllowOrigin = "*";
            await next(context);
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

    private IResult Authorize(HttpRequest request)
    {
        var q = request.Query;
        if (q["response_type"] != "code" || q["code_challenge_method"] != "S256" || string.IsNullOrEmpty(q["code_challenge"]) || string.IsNullOrEmpty(q["client_id"])
            || !Uri.TryCreate(q["redirect_uri"], UriKind.Absolute, out var redirect) || _user is not { } user)
        {
            return Results.BadRequest("invalid_request");
        }
        var code = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        _codes[code] = new PendingCode(q["client_id"]!, redirect.ToString(), q["code_challenge"]!, user.Subject, user.Audience, user.Roles);
        return Results.Redirect($"{redirect}?code={code}&state={Uri.EscapeDataString(q["state"].ToString())}");
    }

    private async Task<IResult> TokenAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        if (form["grant_type"] != "authorization_code" || !_codes.TryRemove(form["code"].ToString(), out var pending))
        {
            return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
        }
        var challenge = Base64UrlEncoder.Encode(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(form["code_verifier"].ToString())));
        if (challenge != pending.Challenge || form["client_id"] != pending.ClientId || form["redirect_uri"] != pending.RedirectUri)
        {
            return Results.Json(new { error = "invalid_grant", error_description = "the code verifier, client or redirect URI does not match" }, statusCode: 400);
        }
        Exchanges.Enqueue((pending.ClientId, pending.Subject));
        return Results.Json(new { access_token = Token(pending.Subject, pending.Audience, pending.Roles), token_type = "Bearer", expires_in = 3600 });
    }

    private sealed record PendingCode(string ClientId, string RedirectUri, string Challenge, string Subject, string Audience, string[] Roles);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _key.Dispose();
    }
}
