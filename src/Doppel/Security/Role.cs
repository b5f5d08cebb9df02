namespace Doppel.Security;

/// <summary>
/// Roles like Azure Digital Twins' data-plane roles: a reader reads the twin graph, a writer also changes it, an owner
/// also manages who may do what (policies, keys, the audit log). <see cref="None"/> is for devices, whose rights come
/// from policies alone.
/// </summary>
public enum Role
{
    None,
    Reader,
    Writer,
    Owner,
}

/// <summary>What each role grants, and the role names tokens and documents use.</summary>
public static class Roles
{
    private static readonly Resource[] Data =
        [Resource.Models, Resource.Twins, Resource.Relationships, Resource.Properties, Resource.Telemetry, Resource.Routes, Resource.Rules, Resource.Simulations, Resource.Predictors];

    /// <summary>The access a role grants on a resource, before any policy.</summary>
    public static Access Grants(this Role role, Resource resource) => role switch
    {
        Role.Owner => Access.ReadWrite,
        Role.Writer when Data.Contains(resource) => Access.ReadWrite,
        Role.Reader when Data.Contains(resource) => Access.Read,
        _ => Access.None,
    };

    /// <summary>The name of a role: "owner", "writer", "reader", "none".</summary>
    public static string Name(this Role role) => role.ToString().ToLowerInvariant();

    /// <summary>
    /// A role by name: Doppel's ("owner", "writer", "reader", "none") or Azure Digital Twins' role names as identity
    /// providers issue them ("Azure Digital Twins Data Owner", "Azure Digital Twins Data Reader").
    /// </summary>
    public static Role? Find(string name) => name.Trim().ToLowerInvariant() switch
    {
        "owner" or "azure digital twins data owner" or "digitaltwins.owner" => Role.Owner,
        "writer" or "digitaltwins.writer" => Role.Writer,
        "reader" or "azure digital twins data reader" or "digitaltwins.reader" => Role.Reader,
        "none" => Role.None,
        _ => null,
    };
}
