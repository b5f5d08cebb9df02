namespace Doppel.Security;

/// <summary>
/// One line of a policy: on <see cref="Resource"/> (for resources of twins, the selected twins; for properties, the
/// named ones), grant and revoke access. A revocation wins over any grant, from a role or a policy, as in Eclipse Ditto.
/// </summary>
public sealed record PolicyEntry(Resource Resource, Access Grant, Access Revoke)
{
    /// <summary>The twins covered; null for all twins.</summary>
    public TwinSelector? Twins { get; init; }

    /// <summary>For <see cref="Resource.Properties"/>: the top-level property (or component) names covered; null for all.</summary>
    public IReadOnlyList<string>? Properties { get; init; }
}
