namespace Doppel.Events;

/// <summary>The CloudEvents <c>type</c> values ADT uses, which Doppel emits unchanged so ADT route filters keep working.</summary>
public static class TwinEventTypes
{
    public const string TwinCreate = "Microsoft.DigitalTwins.Twin.Create";
    public const string TwinUpdate = "Microsoft.DigitalTwins.Twin.Update";
    public const string TwinDelete = "Microsoft.DigitalTwins.Twin.Delete";
    public const string RelationshipCreate = "Microsoft.DigitalTwins.Relationship.Create";
    public const string RelationshipUpdate = "Microsoft.DigitalTwins.Relationship.Update";
    public const string RelationshipDelete = "Microsoft.DigitalTwins.Relationship.Delete";
    public const string Telemetry = "microsoft.iot.telemetry";

    public static IReadOnlyList<string> All { get; } = [TwinCreate, TwinUpdate, TwinDelete, RelationshipCreate, RelationshipUpdate, RelationshipDelete, Telemetry];

    public static bool IsLifecycle(string type) => type is TwinCreate or TwinDelete or RelationshipCreate or RelationshipDelete;
}
