using System.Security.Claims;
using System.Text.Encodings.Web;
using Doppel.Security;
using Doppel.Server.Api;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Doppel.Server.Security;

/// <summary>
/// Doppel's one authentication scheme: an API key (<c>Authorization: Bearer dpl_…</c>), else a JWT from the OpenID
/// Connect issuer when one is configured, else anonymous where anonymous access is allowed (loopback, or
/// <c>--insecure</c>). A credential that is given but not valid is refused even where anonymous access is allowed.
/// </summary>
internal sealed class DoppelAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions, ILoggerFactory loggers, UrlEncoder encoder, ApiKeys keys, IOptions<DoppelServerOptions> server)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggers, encoder)
{
    public const string SchemeName = "Doppel";
    public const string JwtScheme = "OpenIdConnect";

    /// <summary>The principal of a subject, as every part of the server reads it (<see cref="Caller"/>, <see cref="SubjectOf"/>).</summary>
    public static ClaimsPrincipal Principal(Subject subject, string authenticationType) =>
        new(new ClaimsIdentity(
            [new Claim(Caller.SubjectClaim, subject.Id), new Claim(ClaimTypes.Name, subject.Id), new Claim(ClaimTypes.Role, subject.Role.Name())],
            authenticationType, ClaimTypes.Name, ClaimTypes.Role));

    /// <summary>The subject a principal authenticated as; null when it did not.</summary>
    public static Subject? SubjectOf(ClaimsPrincipal user) =>
        user.FindFirst(Caller.SubjectClaim)?.Value is { } id ? new Subject(id, Roles.Find(user.FindFirst(ClaimTypes.Role)?.Value ?? "none") ?? Role.None) : null;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var options = server.Value;
        var credential = Credential(Request);
        if (credential is not null && credential.StartsWith(ApiKeys.Prefix, StringComparison.Ordinal))
        {
            return keys.Verify(credential) is { } subject
                ? Success(subject, "ApiKey")
                : AuthenticateResult.Fail("The API key is not valid, or it was revoked.");
        }
        if (credential is not null && options.AuthAuthority is not null)
        {
            var jwt = await Context.AuthenticateAsync(JwtScheme);
            if (!jwt.Succeeded)
            {
                return AuthenticateResult.Fail($"The bearer token was refused: {Reason(jwt.Failure, options)}");
            }
            var user = jwt.Principal!;
            var sub = user.FindFirst("sub")?.Value ?? user.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? user.FindFirst("oid")?.Value;
            if (sub is null)
            {
                return AuthenticateResult.Fail("The bearer token has no 'sub' claim.");
            }
            var role = user.FindAll(options.AuthRoleClaim).Concat(user.FindAll(ClaimTypes.Role))
                .Select(c => Roles.Find(c.Value)).Where(r => r is not null).Select(r => r!.Value).DefaultIfEmpty(Role.None).Max();
            return Success(new Subject("oidc:" + sub, role), "OpenIdConnect");
        }
        if (options.AnonymousAllowed)
        {
            // The laptop case: tools such as the ADT SDKs send a placeholder token; without an issuer it means nothing.
            return Success(Subject.Anonymous, "Anonymous");
        }
        return credential is null
            ? AuthenticateResult.NoResult()
            : AuthenticateResult.Fail("Only API keys (dpl_...) are accepted here: bearer tokens need an OpenID Connect issuer (doppel serve --auth-authority).");
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure?.Message;
        await AdtErrors.WriteAsync(Context, new DoppelError("Unauthorized",
            failure ?? "This server needs credentials: an API key (Authorization: Bearer dpl_...; DOPPEL_API_KEY for the CLI) or a bearer token from its OpenID Connect issuer."), StatusCodes.Status401Unauthorized);
    }

    /// <summary>The bearer credential of a request: the Authorization header, else (for browsers' event streams, which cannot set headers) <c>access_token</c>.</summary>
    internal static string? Credential(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var token = header[7..].Trim();
            return token.Length == 0 ? null : token;
        }
        return request.Query["access_token"].ToString() is { Length: > 0 } query ? query : null;
    }

    /// <summary>
    /// Why the issuer's token handler refused a token, in one line: its messages span lines, name internal codes and
    /// hide the values that would explain them (IdentityModel's PII guard), so the common cases are said plainly.
    /// </summary>
    internal static string Reason(Exception? failure, DoppelServerOptions options) => failure switch
    {
        null => "no valid token.",
        SecurityTokenExpiredException e => $"it expired at {e.Expires:yyyy-MM-dd'T'HH:mm:ss'Z'}.",
        SecurityTokenNotYetValidException e => $"it is not valid before {e.NotBefore:yyyy-MM-dd'T'HH:mm:ss'Z'}.",
        SecurityTokenNoExpirationException => "it has no expiry ('exp').",
        SecurityTokenInvalidAudienceException e => $"its audience {(string.IsNullOrEmpty(e.InvalidAudience) ? "(none)" : $"'{e.InvalidAudience}'")} is not this server's, '{options.AuthAudience}'.",
        SecurityTokenInvalidIssuerException e => $"it was issued by {(string.IsNullOrEmpty(e.InvalidIssuer) ? "no issuer" : $"'{e.InvalidIssuer}'")}, not by {options.AuthAuthority}.",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => $"its signature does not verify with the signing keys of {options.AuthAuthority}.",
        SecurityTokenMalformedException or ArgumentException => "it is not a JWT (three base64url parts: header.payload.signature).",
        // The issuer's discovery document or keys could not be fetched (IDX20803): no token can be checked.
        InvalidOperationException => $"the signing keys of {options.AuthAuthority} could not be fetched.",
        _ => failure.Message.Split('\n', 2)[0].Trim(),
    };

    private AuthenticateResult Success(Subject subject, string type) =>
        AuthenticateResult.Success(new AuthenticationTicket(Principal(subject, type), SchemeName));
}

/// <summary>Registers Doppel's authentication: API keys, an optional OpenID Connect issuer, anonymous where allowed.</summary>
internal static class AuthenticationSetup
{
    public static void AddDoppelAuthentication(this IServiceCollection services, DoppelServerOptions options)
    {
        var builder = services.AddAuthentication(DoppelAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, DoppelAuthentication>(DoppelAuthentication.SchemeName, null);
        if (options.AuthAuthority is { } authority)
        {
            builder.AddJwtBearer(DoppelAuthentication.JwtScheme, jwt =>
            {
                jwt.Authority = authority.ToString();
                jwt.Audience = options.AuthAudience;
                jwt.TokenValidationParameters.ValidateAudience = options.AuthAudience is not null;
                // Metadata over plain HTTP only from this machine (a test or local issuer); anything else needs HTTPS.
                jwt.RequireHttpsMetadata = !authority.IsLoopback;
                jwt.MapInboundClaims = false;
                // The same credential the Doppel scheme read: the Authorization header, else access_token (browsers' event streams).
                jwt.Events = new JwtBearerEvents
                {
                    OnMessageReceived = context =>
                    {
                        context.Token = DoppelAuthentication.Credential(context.Request);
                        return Task.CompletedTask;
                    },
                };
            });
        }
    }
}
