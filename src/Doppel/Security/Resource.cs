namespace Doppel.Security;

/// <summary>
/// What a policy entry is about. Twins, relationships, properties and telemetry belong to twins and can be narrowed
/// to some twins (<see cref="TwinSelector"/>); the others are the platform's own collections.
/// </summary>
public enum Resource
{
    Models,
    Twins,
    Relationships,
    Properties,
    Telemetry,
    Routes,
    Rules,
    Simulations,
    Policies,
    Keys,
    Audit,
    Predictors,
}

/// <summary>Names and kinds of <see cref="Resource"/>s as policies write them.</summary>
public static class Resources
{
    /// <summary>Every resource, in declaration order.</summary>
    public static IReadOnlyList<Resource> All { get; } = Enum.GetValues<Resource>();

    /// <summary>Resources that belong to twins, so that an entry may select some twins.</summary>
    public static bool BelongsToTwins(this Resource resource) =>
        resource is Resource.Twins or Resource.Relationships or Resource.Properties or Resource.Telemetry;

    /// <summary>The name used in policy documents and messages: "twins", "properties".</summary>
    public static string Name(this Resource resource) => resource.ToString().ToLowerInvariant();

    /// <summary>The resource a policy names, case-insensitively.</summary>
    public static Resource? Find(string name) =>
        All.Where(r => string.Equals(r.Name(), name, StringComparison.OrdinalIgnoreCase)).Cast<Resource?>().FirstOrDefault();
}
