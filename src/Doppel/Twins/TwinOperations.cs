using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.Modeling;
using Doppel.Twins.Internal;

namespace Doppel.Twins;

/// <summary>Creates and patches twins and relationships, validating them against their DTDL models.</summary>
/// <remarks>
/// Choices where ADT is ambiguous:
/// <list type="bullet">
/// <item>A top-level property set to <c>null</c> means "not set": on create it is omitted; a PATCH add/replace with null removes it (add of null to an absent property is a no-op).
/// Inside values, null is allowed for object fields, refused for map values and array elements.</item>
/// <item>Every component the model declares must be given on create, as an object with a <c>"$metadata"</c> object (possibly empty), as ADT requires; a patch may replace a whole component but the result must still hold every declared component.</item>
/// <item>Updating a property's value without giving its sourceTime in the same patch clears the old sourceTime (it described the old value).</item>
/// <item>Twin size is the UTF-8 JSON size of property names and values (metadata excluded), checked against <see cref="TwinLimits.MaxTwinBytes"/>.</item>
/// </list>
/// </remarks>
public sealed partial class TwinOperations(IModelResolver models, TwinLimits? limits = null)
{
    private readonly IModelResolver _models = models;
    private readonly TwinLimits _limits = limits ?? TwinLimits.Default;

    /// <summary>Builds a twin from a PUT body; <c>$metadata.$model</c> is required and <c>$dtId</c>/<c>$etag</c> in the body are ignored.</summary>
    public Result<TwinDocument> Create(string id, JsonObject body, DateTimeOffset now, string etag) =>
        Create(id, JsonSerializer.SerializeToElement(body, JsonContext.Default.JsonNode), now, etag);

    /// <summary>Builds a twin from a parsed body, as <see cref="Create(string, JsonObject, DateTimeOffset, string)"/>; the twin's values share <paramref name="body"/>'s memory, so it must not come from a document that is disposed.</summary>
    public Result<TwinDocument> Create(string id, JsonElement body, DateTimeOffset now, string etag)
    {
        if (body.ValueKind != JsonValueKind.Object
            || !body.TryGetProperty("$metadata"u8, out var metadata)
            || metadata.ValueKind != JsonValueKind.Object
            || !metadata.TryGetProperty("$model"u8, out var modelNode)
            || modelNode.ValueKind != JsonValueKind.String)
        {
            return Fail(ErrorCodes.ValidationFailed, "The twin must have a string '$metadata.$model'.");
        }

        var modelId = new Dtmi(modelNode.GetString()!);
        if (_models.Resolve(modelId) is not { } model)
        {
            return Fail(ErrorCodes.ModelNotFound, $"Model '{modelId}' is not found.");
        }

        var root = new PatchScope(PatchScope.NoProperties, replaced: true);
        var components = new Dictionary<string, PatchScope?>(StringComparer.Ordinal);
        foreach (var member in body.EnumerateObject())
        {
            if (member.NameEquals("$dtId"u8) || member.NameEquals("$etag"u8) || member.NameEquals("$metadata"u8))
            {
                continue;
            }

            var name = member.Name;
            if (name.StartsWith('$'))
            {
                continue;
            }

            var value = member.Value;
            var declared = model.Contents.TryGetValue(name, out var content);
            if (declared)
            {
                // The model's copy of the name: twins keep it as a key, and one string for all of them keeps the graph small.
                name = content!.Name;
            }

            if (declared && content is ComponentDef)
            {
                if (ComponentScope(value) is not { } scope)
                {
                    return Fail(ErrorCodes.ValidationFailed, ComponentShapeMessage(name));
                }

                if (ReadSourceTimes(scope, value, name) is { } componentError)
                {
                    return Fail(ErrorCodes.ValidationFailed, componentError);
                }

                components[name] = scope;
            }
            else if (value.ValueKind != JsonValueKind.Null)
            {
                root.Set(name, value);
            }
        }

        if (ReadSourceTimes(root, body, component: null) is { } error)
        {
            return Fail(ErrorCodes.ValidationFailed, error);
        }

        return Commit(id, etag, now, model, root, components, new Dictionary<string, ComponentState>(StringComparer.Ordinal), checkAll: true);
    }

    /// <summary>Applies a JSON Patch to a twin, all or nothing; only touched properties get <paramref name="now"/> as lastUpdateTime.</summary>
    public Result<TwinDocument> Patch(TwinDocument current, JsonPatchDocument patch, DateTimeOffset now, string etag)
    {
        var model = _models.Resolve(current.Model);
        if (model is null)
        {
            return Fail(ErrorCodes.ModelNotFound, $"Model '{current.Model}' of twin '{current.Id}' is not found.");
        }

        var modelChanged = false;
        var root = new PatchScope(current.PropertyStates);
        Dictionary<string, PatchScope?>? components = null;
        var operations = patch.Operations;
        for (var i = 0; i < operations.Count; i++)
        {
            var operation = operations[i];
            var tokens = JsonPointer.Split(operation.Path);
            if (tokens.Length == 0)
            {
                return Fail(ErrorCodes.JsonPatchInvalid, $"Operation {i}: the whole twin cannot be patched; use PUT.");
            }

            var first = tokens[0];
            if (first == "$metadata")
            {
                if (tokens.Length == 2 && tokens[1] == "$model")
                {
                    if (operation.Op == "remove" || operation.Value is not JsonValue v || v.GetValueKind() != JsonValueKind.String)
                    {
                        return Fail(ErrorCodes.JsonPatchInvalid, $"Operation {i}: '/$metadata/$model' can only be replaced with a model id string.");
                    }

                    var newId = new Dtmi(v.GetValue<string>());
                    if (_models.Resolve(newId) is not { } newModel)
                    {
                        return Fail(ErrorCodes.ModelNotFound, $"Model '{newId}' is not found.");
                    }

                    modelChanged |= newModel.Id != current.Model;
                    model = newModel;
                    continue;
                }

                if (MetadataOperation(root, tokens, 1, operation) is { } metadataError)
                {
                    return Fail(metadataError.Code, $"Operation {i}: {metadataError.Message}");
                }

                continue;
            }

            if (first.StartsWith('$'))
            {
                return Fail(ErrorCodes.JsonPatchInvalid, $"Operation {i}: '{first}' cannot be patched.");
            }

            var isComponent = (model.Contents.TryGetValue(first, out var content) && content is ComponentDef)
                || (components?.ContainsKey(first) ?? false)
                || current.ComponentStates.ContainsKey(first);
            if (!isComponent)
            {
                if (root.Apply(operation.Op, tokens, 0, operation.Value) is { } error)
                {
                    return Fail(ErrorCodes.JsonPatchInvalid, $"Operation {i} ({operation.Op} {operation.Path}): {error}.");
                }

                continue;
            }

            components ??= new(StringComparer.Ordinal);
            if (ComponentOperation(current, components, tokens, operation) is { } componentError)
            {
                return Fail(componentError.Code, $"Operation {i} ({operation.Op} {operation.Path}): {componentError.Message}");
            }
        }

        return Commit(current.Id, etag, now, model, root, components, current.ComponentStates, checkAll: modelChanged);
    }

    /// <summary>Applies a JSON Patch whose paths are relative to component <paramref name="componentPath"/>.</summary>
    public Result<TwinDocument> PatchComponent(TwinDocument current, string componentPath, JsonPatchDocument patch, DateTimeOffset now, string etag)
    {
        if (!current.ComponentStates.ContainsKey(componentPath))
        {
            return Fail(ErrorCodes.ComponentNotFound, $"Component '{componentPath}' is not found on twin '{current.Id}'.");
        }

        var prefix = "/" + JsonPointer.Escape(componentPath);
        var operations = new JsonPatchOperation[patch.Operations.Count];
        for (var i = 0; i < operations.Length; i++)
        {
            var operation = patch.Operations[i];
            operations[i] = operation with { Path = prefix + operation.Path };
        }

        return Patch(current, JsonPatchDocument.FromValidated(operations), now, etag);
    }

    /// <summary>The component object, with its own <c>$metadata</c>.</summary>
    public Result<JsonObject> GetComponent(TwinDocument twin, string componentPath) =>
        twin.ComponentStates.TryGetValue(componentPath, out var component)
            ? Result<JsonObject>.Ok(TwinDocument.ComponentToJson(component))
            : Result<JsonObject>.Fail(ErrorCodes.ComponentNotFound, $"Component '{componentPath}' is not found on twin '{twin.Id}'.");

    /// <summary>Checks a telemetry message: every top-level key must be a Telemetry of the twin's (or component's) model, with a value of its schema.</summary>
    public Result<bool> ValidateTelemetry(TwinDocument twin, string? componentPath, JsonElement body)
    {
        if (_models.Resolve(twin.Model) is not { } model)
        {
            return Result<bool>.Fail(ErrorCodes.ModelNotFound, $"Model '{twin.Model}' is not found.");
        }

        var prefix = "";
        if (componentPath is not null)
        {
            if (!model.Contents.TryGetValue(componentPath, out var c) || c is not ComponentDef component)
            {
                return Result<bool>.Fail(ErrorCodes.ComponentNotFound, $"Component '{componentPath}' is not declared by model '{model.Id}'.");
            }

            if (_models.Resolve(component.Schema) is not { } componentModel)
            {
                return Result<bool>.Fail(ErrorCodes.ModelNotFound, $"Model '{component.Schema}' of component '{componentPath}' is not found.");
            }

            model = componentModel;
            prefix = componentPath + ".";
        }

        if (body.ValueKind != JsonValueKind.Object)
        {
            return Result<bool>.Fail(ErrorCodes.ValidationFailed, $"Telemetry must be a JSON object, got {JsonText.KindName(body.ValueKind)}.");
        }

        foreach (var member in body.EnumerateObject())
        {
            if (!model.Contents.TryGetValue(member.Name, out var content) || content is not TelemetryDef telemetry)
            {
                return Result<bool>.Fail(ErrorCodes.ValidationFailed, $"'{prefix}{member.Name}' is not a telemetry of model '{model.Id}'.");
            }

            if (SchemaValidator.Validate(member.Value, telemetry.Schema, prefix + member.Name, _limits) is { } error)
            {
                return Result<bool>.Fail(ErrorCodes.ValidationFailed, error.Replace("Property '", "Telemetry '", StringComparison.Ordinal));
            }
        }

        return Result<bool>.Ok(true);
    }

    private DoppelError? ComponentOperation(TwinDocument current, Dictionary<string, PatchScope?> components, string[] tokens, JsonPatchOperation operation)
    {
        var name = tokens[0];
        var exists = components.TryGetValue(name, out var scope) ? scope is not null : current.ComponentStates.ContainsKey(name);
        if (tokens.Length == 1)
        {
            if (operation.Op != "add" && !exists)
            {
                return new(ErrorCodes.JsonPatchInvalid, PatchScope.PathDoesNotExist + ".");
            }

            if (operation.Op == "remove")
            {
                components[name] = null;
                return null;
            }

            var value = JsonSerializer.SerializeToElement(operation.Value, JsonContext.Default.JsonNode);
            if (ComponentScope(value) is not { } replacement)
            {
                return new(ErrorCodes.ValidationFailed, ComponentShapeMessage(name));
            }

            components[name] = replacement;
            return ReadSourceTimes(replacement, value, name) is { } error ? new(ErrorCodes.ValidationFailed, error) : null;
        }

        if (!exists)
        {
            return new(ErrorCodes.JsonPatchInvalid, PatchScope.PathDoesNotExist + ".");
        }

        if (scope is null)
        {
            scope = new PatchScope(current.ComponentStates[name].Properties);
            components[name] = scope;
        }

        if (tokens[1] == "$metadata")
        {
            return MetadataOperation(scope, tokens, 2, operation);
        }

        if (tokens[1].StartsWith('$'))
        {
            return new(ErrorCodes.JsonPatchInvalid, $"'{tokens[1]}' cannot be patched.");
        }

        return scope.Apply(operation.Op, tokens, 1, operation.Value) is { } message ? new(ErrorCodes.JsonPatchInvalid, message + ".") : null;
    }

    /// <summary>Handles <c>.../$metadata/&lt;prop&gt;</c> and <c>.../$metadata/&lt;prop&gt;/sourceTime</c>, the only writable metadata.</summary>
    private static DoppelError? MetadataOperation(PatchScope scope, string[] tokens, int start, JsonPatchOperation operation)
    {
        var rest = tokens.Length - start;
        if (rest == 2 && tokens[start + 1] == "sourceTime" && !tokens[start].StartsWith('$'))
        {
            if (operation.Op == "remove")
            {
                scope.SetSourceTime(tokens[start], null);
                return null;
            }

            return ParseSourceTime(operation.Value, tokens[start], out var time) is { } error
                ? new(ErrorCodes.ValidationFailed, error)
                : SetSourceTime(scope, tokens[start], time);
        }

        if (rest == 1 && !tokens[start].StartsWith('$') && operation.Op != "remove" && operation.Value is JsonObject entry)
        {
            if (!entry.TryGetPropertyValue("sourceTime", out var node))
            {
                return null;
            }

            return ParseSourceTime(node, tokens[start], out var time) is { } error
                ? new(ErrorCodes.ValidationFailed, error)
                : SetSourceTime(scope, tokens[start], time);
        }

        return new(ErrorCodes.JsonPatchInvalid, $"'{operation.Path}' cannot be patched; only '$metadata/$model' and '$metadata/<property>/sourceTime' can.");
    }

    private static DoppelError? SetSourceTime(PatchScope scope, string name, DateTimeOffset time)
    {
        scope.SetSourceTime(name, time);
        return null;
    }

    private static string? ParseSourceTime(JsonNode? node, string name, out DateTimeOffset time)
    {
        time = default;
        return node is JsonValue v && v.GetValueKind() == JsonValueKind.String && JsonText.TryParseDateTime(v.GetValue<string>(), out time)
            ? null
            : $"sourceTime of property '{name}' must be an RFC 3339 date-time string.";
    }

    private static string? ParseSourceTime(JsonElement value, string name, out DateTimeOffset time)
    {
        time = default;
        return value.ValueKind == JsonValueKind.String && JsonText.TryParseDateTime(value.GetString()!, out time)
            ? null
            : $"sourceTime of property '{name}' must be an RFC 3339 date-time string.";
    }

    private static string? ReadSourceTimes(PatchScope scope, JsonElement owner, string? component)
    {
        if (!owner.TryGetProperty("$metadata"u8, out var metadata) || metadata.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var member in metadata.EnumerateObject())
        {
            var entry = member.Value;
            if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty("sourceTime"u8, out var value)
                || value.ValueKind == JsonValueKind.Null || member.Name.StartsWith('$'))
            {
                continue;
            }

            if (ParseSourceTime(value, component is null ? member.Name : component + "." + member.Name, out var time) is { } error)
            {
                return error;
            }

            scope.SetSourceTime(member.Name, time);
        }

        return null;
    }

    private static PatchScope? ComponentScope(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty("$metadata"u8, out var metadata) || metadata.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var scope = new PatchScope(PatchScope.NoProperties, replaced: true);
        foreach (var member in value.EnumerateObject())
        {
            if (member.Value.ValueKind != JsonValueKind.Null && !member.Name.StartsWith('$'))
            {
                scope.Set(member.Name, member.Value);
            }
        }

        return scope;
    }

    private static string ComponentShapeMessage(string name) =>
        $"Component '{name}' must be a JSON object with a \"$metadata\" object (use {{\"$metadata\": {{}}}} for an empty component).";

    private Result<TwinDocument> Commit(string id, string etag, DateTimeOffset now, InterfaceModel model, PatchScope root,
        Dictionary<string, PatchScope?>? componentScopes, Dictionary<string, ComponentState> currentComponents, bool checkAll)
    {
        if (root.Commit(now, checkAll, (name, value) => CheckProperty(model, name, value, name), out var properties) is { } error)
        {
            return Fail(ErrorCodes.ValidationFailed, error);
        }

        var components = currentComponents;
        if (componentScopes is not null || checkAll)
        {
            components = new Dictionary<string, ComponentState>(currentComponents, StringComparer.Ordinal);
            if (componentScopes is not null)
            {
                foreach (var (name, scope) in componentScopes)
                {
                    if (scope is null)
                    {
                        components.Remove(name);
                        continue;
                    }

                    if (CommitComponent(model, name, scope, now, checkAll, out var state) is { } componentError)
                    {
                        return componentError;
                    }

                    components[name] = state!;
                }
            }

            if (checkAll)
            {
                foreach (var (name, state) in currentComponents)
                {
                    if (components.ContainsKey(name) && (componentScopes is null || !componentScopes.ContainsKey(name))
                        && CommitComponent(model, name, new PatchScope(state.Properties), state.LastUpdateTime, true, out _) is { } componentError)
                    {
                        return componentError;
                    }
                }
            }

            foreach (var content in model.Contents.Values)
            {
                if (content is ComponentDef declared && !components.ContainsKey(declared.Name))
                {
                    return Fail(ErrorCodes.ValidationFailed, $"Component '{declared.Name}' declared by model '{model.Id}' is missing; " + ComponentShapeMessage(declared.Name));
                }
            }
        }

        var twin = new TwinDocument(id, etag, model.Id, now, properties, components);
        var size = twin.Size;
        return size > _limits.MaxTwinBytes
            ? Fail(ErrorCodes.ValidationFailed, $"The twin is {size} bytes; the limit is {_limits.MaxTwinBytes}.")
            : Result<TwinDocument>.Ok(twin);
    }

    private DoppelError? CommitComponent(InterfaceModel model, string name, PatchScope scope, DateTimeOffset now, bool checkAll, out ComponentState? state)
    {
        state = null;
        if (!model.Contents.TryGetValue(name, out var content) || content is not ComponentDef component)
        {
            return new(ErrorCodes.ValidationFailed, $"'{name}' is not a component of model '{model.Id}'.");
        }

        if (_models.Resolve(component.Schema) is not { } componentModel)
        {
            return new(ErrorCodes.ModelNotFound, $"Model '{component.Schema}' of component '{name}' is not found.");
        }

        if (scope.Commit(now, checkAll, (p, value) => CheckProperty(componentModel, p, value, name + "." + p), out var properties) is { } error)
        {
            return new(ErrorCodes.ValidationFailed, error);
        }

        state = new ComponentState(properties, now);
        return null;
    }

    private string? CheckProperty(InterfaceModel model, string name, JsonElement value, string path)
    {
        if (SchemaValidator.CheckName(name, path, _limits) is { } nameError)
        {
            return nameError;
        }

        if (!model.Contents.TryGetValue(name, out var content))
        {
            return $"Property '{path}' is not declared by model '{model.Id}'.";
        }

        return content is PropertyDef property
            ? SchemaValidator.Validate(value, property.Schema, path, _limits)
            : $"'{path}' is a {KindOf(content)} of model '{model.Id}', not a settable property.";
    }

    private static string KindOf(Content content) => content switch
    {
        TelemetryDef => "Telemetry",
        RelationshipDef => "Relationship",
        CommandDef => "Command",
        ComponentDef => "Component",
        _ => content.GetType().Name,
    };

    private static Result<TwinDocument> Fail(string code, string message) => Result<TwinDocument>.Fail(code, message);
}
