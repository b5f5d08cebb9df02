using System.Text.Encodings.Web;
using Doppel.Security;
using Doppel.Server.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Doppel.IntegrationTests.Support;

/// <summary>
/// Test-only authentication for per-subject behaviour that is not about credentials (rate limits, the audit log): a
/// request that names its subject in the <c>X-Test-Subject</c> header acts as that subject with the owner role, so the
/// subject is exactly the text the test asserts; any other request is authenticated by Doppel's own scheme.
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
            return Context.AuthenticateAsync(DoppelAuthentication.SchemeName);
        }
        var principal = DoppelAuthentication.Principal(new Subject(subject, Role.Owner), SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }
}
