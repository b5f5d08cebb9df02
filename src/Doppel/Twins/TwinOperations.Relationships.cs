using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.Modeling;
using Doppel.Twins.Internal;

namespace Doppel.Twins;

public sealed partial class TwinOperations
{
    /// <summary>
    /// Builds a relationship from a PUT body (<c>$targetId</c> and <c>$relationshipName</c> required; other <c>$</c> keys ignored).
    /// <c>existingCountWithSameName</c> is how many other relationships of that name the source has (excluding one being replaced), for maxMultiplicity.
    /// </summary>
    public Result<RelationshipDocument> CreateRelationship(TwinDocument source, string relationshipId, JsonObject body, TwinDocument? target, int existingCountWithSameName, string etag) =>
        CreateRelationship(source, relationshipId, JsonSerializer.SerializeToElement(body, JsonContext.Default.JsonNode), target, existingCountWithSameName, etag);

    /// <summary>As <see cref="CreateRelationship(TwinDocument, string, JsonObject, TwinDocument?, int, string)"/>, from a parsed body whose memory the relationship shares.</summary>
    public Result<RelationshipDocument> CreateRelationship(TwinDocument source, string relationshipId, JsonElement body, TwinDocument? target, int existingCountWithSameName, string etag)
    {
        if (!TryGetString(body, "$targetId", out var targetId) || !TryGetString(body, "$relationshipName", out var name))
        {
            return FailRelationship(ErrorCodes.ValidationFailed, "A relationship must have string '$targetId' and '$relationshipName'.");
        }

        if (_models.Resolve(source.Model) is not { } sourceModel)
        {
            return FailRelationship(ErrorCodes.ModelNotFound, $"Model '{source.Model}' of twin '{source.Id}' is not found.");
        }

        if (!sourceModel.Contents.TryGetValue(name, out var content) || content is not RelationshipDef definition)
        {
            return FailRelationship(ErrorCodes.InvalidRelationship, $"Relationship '{name}' is not declared by model '{sourceModel.Id}'; allowed: {AllowedRelationships(sourceModel)}.");
        }

        if (targetId == source.Id)
        {
            return FailRelationship(ErrorCodes.OperationNotAllowed, $"Twin '{source.Id}' cannot have a relationship to itself.");
        }

        if (target is null || target.Id != targetId)
        {
            return FailRelationship(ErrorCodes.TargetTwinNotFound, $"Target twin '{targetId}' is not found.");
        }

        if (definition.Target is { } declaredTarget && !(_models.Resolve(target.Model)?.IsA(declaredTarget) ?? target.Model == declaredTarget))
        {
            return FailRelationship(ErrorCodes.InvalidRelationship, $"Relationship '{name}' targets '{declaredTarget}', but twin '{targetId}' has model '{target.Model}'.");
        }

        if (definition.MaxMultiplicity is { } max && existingCountWithSameName + 1 > max)
        {
            return FailRelationship(ErrorCodes.InvalidRelationship, $"Relationship '{name}' allows at most {max} per twin; twin '{source.Id}' already has {existingCountWithSameName}.");
        }

        var scope = new PatchScope(new(StringComparer.Ordinal), replaced: true);
        foreach (var member in body.EnumerateObject())
        {
            if (member.Value.ValueKind != JsonValueKind.Null && !member.Name.StartsWith('$'))
            {
                scope.Set(member.Name, member.Value);
            }
        }

        return CommitRelationship(relationshipId, source.Id, targetId, name, etag, definition, scope, checkAll: true);
    }

    /// <summary>Applies a JSON Patch to a relationship's properties; <c>$targetId</c>, <c>$relationshipName</c> and the other <c>$</c> members cannot change.</summary>
    public Result<RelationshipDocument> PatchRelationship(RelationshipDocument current, TwinDocument source, JsonPatchDocument patch, string etag)
    {
        if (_models.Resolve(source.Model) is not { } sourceModel)
        {
            return FailRelationship(ErrorCodes.ModelNotFound, $"Model '{source.Model}' of twin '{source.Id}' is not found.");
        }

        if (!sourceModel.Contents.TryGetValue(current.Name, out var content) || content is not RelationshipDef definition)
        {
            return FailRelationship(ErrorCodes.InvalidRelationship, $"Relationship '{current.Name}' is no longer declared by model '{sourceModel.Id}'.");
        }

        var scope = new PatchScope(current.PropertyStates);
        for (var i = 0; i < patch.Operations.Count; i++)
        {
            var operation = patch.Operations[i];
            var tokens = JsonPointer.Split(operation.Path);
            if (tokens.Length == 0 || tokens[0].StartsWith('$'))
            {
                return FailRelationship(ErrorCodes.JsonPatchInvalid, $"Operation {i}: '{operation.Path}' cannot be patched; only relationship properties can.");
            }

            if (scope.Apply(operation.Op, tokens, 0, operation.Value) is { } error)
            {
                return FailRelationship(ErrorCodes.JsonPatchInvalid, $"Operation {i} ({operation.Op} {operation.Path}): {error}.");
            }
        }

        return CommitRelationship(current.Id, current.SourceId, current.TargetId, current.Name, etag, definition, scope, checkAll: false);
    }

    private Result<RelationshipDocument> CommitRelationship(string id, string sourceId, string targetId, string name, string etag,
        RelationshipDef definition, PatchScope scope, bool checkAll)
    {
        if (scope.Commit(default, checkAll, (p, value) => CheckRelationshipProperty(definition, p, value), out var properties) is { } error)
        {
            return FailRelationship(ErrorCodes.ValidationFailed, error);
        }

        var relationship = new RelationshipDocument(id, sourceId, targetId, name, etag, properties);
        return relationship.Size > _limits.MaxTwinBytes
            ? FailRelationship(ErrorCodes.ValidationFailed, $"The relationship is {relationship.Size} bytes; the limit is {_limits.MaxTwinBytes}.")
            : Result<RelationshipDocument>.Ok(relationship);
    }

    private string? CheckRelationshipProperty(RelationshipDef definition, string name, JsonElement value)
    {
        if (SchemaValidator.CheckName(name, name, _limits) is { } nameError)
        {
            return nameError;
        }

        foreach (var property in definition.Properties)
        {
            if (property.Name == name)
            {
                return SchemaValidator.Validate(value, property.Schema, name, _limits);
            }
        }

        return $"Property '{name}' is not declared by relationship '{definition.Name}'.";
    }

    private static string AllowedRelationships(InterfaceModel model)
    {
        var names = new List<string>();
        foreach (var content in model.Contents.Values)
        {
            if (content is RelationshipDef r)
            {
                names.Add(r.Name);
            }
        }

        names.Sort(StringComparer.Ordinal);
        return names.Count == 0 ? "none" : new StringBuilder().AppendJoin(", ", names).ToString();
    }

    private static bool TryGetString(JsonElement body, string name, out string value)
    {
        if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String)
        {
            value = v.GetString()!;
            return true;
        }

        value = "";
        return false;
    }

    private static Result<RelationshipDocument> FailRelationship(string code, string message) => Result<RelationshipDocument>.Fail(code, message);
}
