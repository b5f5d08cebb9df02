namespace Doppel.Twins.Internal;

/// <summary>The ADT error codes this folder produces.</summary>
internal static class ErrorCodes
{
    public const string JsonPatchInvalid = "JsonPatchInvalid";
    public const string ValidationFailed = "ValidationFailed";
    public const string ModelNotFound = "ModelNotFound";
    public const string ComponentNotFound = "ComponentNotFound";
    public const string InvalidRelationship = "InvalidRelationship";
    public const string TargetTwinNotFound = "TargetTwinNotFound";
    public const string OperationNotAllowed = "OperationNotAllowed";
}
