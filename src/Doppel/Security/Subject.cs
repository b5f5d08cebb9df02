namespace Doppel.Security;

/// <summary>Who acts: an id (<c>key:pump-7</c>, <c>oidc:alice</c>, <c>anonymous</c>) and the role its credential carries.</summary>
/// <param name="Id">The subject id policies name.</param>
/// <param name="Role">The role of the credential (an API key's, a token's role claim); policies may add rights.</param>
public sealed record Subject(string Id, Role Role)
{
    /// <summary>The subject of requests without credentials where anonymous access is allowed: the laptop case, an owner.</summary>
    public static Subject Anonymous { get; } = new("anonymous", Role.Owner);
}
