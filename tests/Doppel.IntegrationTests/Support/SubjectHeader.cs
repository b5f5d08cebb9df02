using System.Security.Claims;
using System.Text.Encodings.Web;
using Doppel.Server.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Doppel.IntegrationTests.Support;

/// <summary>
/// Test-only authentication: the request names its subject in the <c>X-Test-Subject</c> header, so that per-subject
/// behaviour (rate limits, the audit log) can be tested before and independently of API keys and tokens.
/// </summary>
internal sealed class SubjectHeader(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "test-subject";

    public const string Header = "X-Test-Subject";

    public static void Add(IServiceCollection services) =>
        services.AddAuthentication(SchemeName).AddScheme<AuthenticationSchemeOptions, SubjectHeader>(SchemeName, null);

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Request.Headers[Header].ToString() is not { Length: > 0 } subject)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }
        var identity = new ClaimsIdentity([new Claim(Caller.SubjectClaim, subject)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}
