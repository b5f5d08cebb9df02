using System.Security.Claims;

namespace Doppel.Server.Security;

/// <summary>Who a request acts as: the subject id authentication puts on the principal, one name for audit, limits and policies.</summary>
/// <remarks>
/// Subject ids carry where the identity comes from: <c>key:&lt;name&gt;</c> for an API key, <c>oidc:&lt;sub&gt;</c> for a
/// bearer token from the OpenID Connect issuer, <c>anonymous</c> when no credential was given and anonymous access is allowed.
/// </remarks>
public static class Caller
{
    /// <summary>The claim that holds the subject id.</summary>
    public const string SubjectClaim = "doppel:subject";

    /// <summary>The subject of a request without credentials.</summary>
    public const string Anonymous = "anonymous";

    /// <summary>The subject id of a principal; <see cref="Anonymous"/> when it carries none.</summary>
    public static string SubjectOf(ClaimsPrincipal? user) => user?.FindFirst(SubjectClaim)?.Value ?? Anonymous;
}
