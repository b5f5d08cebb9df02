using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.Modeling;
using Doppel.Packs;

namespace Doppel.Server.Runtime;

/// <summary>
/// Loads what packs ship into the server: a pack's models, or a sample world (models, twins, relationships). Loading
/// only creates: what already exists is counted and left as it is, so loading twice changes nothing and a sample
/// loaded into a server that has run does not reset its twins. Twins and relationships go through their grains, as
/// the REST API's writes do.
/// </summary>
public sealed class PackLoader(TwinRuntime runtime, ModelService models, IGrainFactory grains)
{
    /// <summary>Adds the models that the server does not have yet; the ids loaded and those that were there.</summary>
    public async Task<Result<LoadedModels>> LoadModelsAsync(IReadOnlyList<ModelDocument> documents, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var missing = new List<ModelDocument>();
        var existing = new List<string>();
        foreach (var document in documents)
        {
            var id = ModelId(document.Json);
            if (runtime.Models.Get(new Dtmi(id)) is null)
            {
                missing.Add(document);
            }
            else
            {
                existing.Add(id);
            }
        }
        if (missing.Count > 0)
        {
            var added = await models.AddAsync(missing, ct);
            if (!added.IsSuccess)
            {
                return added.Error;
            }
        }
        return Result<LoadedModels>.Ok(new LoadedModels([.. missing.Select(m => ModelId(m.Json))], existing));
    }

    /// <summary>Loads a sample: its models, then its twins, then its relationships, each created unless it exists.</summary>
    public async Task<Result<JsonObject>> LoadSampleAsync(PackSample sample, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var content = sample.Read();
        if (!content.IsSuccess)
        {
            return content.Error;
        }
        var loaded = await LoadModelsAsync([.. content.Value.Models.Select((json, i) => new ModelDocument($"{sample.Name}:models[{i}]", json))], ct);
        if (!loaded.IsSuccess)
        {
            return loaded.Error;
        }
        var (twinsCreated, twinsExisting) = (0, 0);
        foreach (var twin in content.Value.Twins)
        {
            var body = twin.DeepClone().AsObject();
            var id = (string?)body["$dtId"] ?? "";
            body.Remove("$dtId");
            var outcome = await grains.GetGrain<ITwinGrain>(id).Put(body.ToJsonString(), createOnly: true);
            if (Count(outcome, ref twinsCreated, ref twinsExisting) is { } error)
            {
                return new DoppelError(error.Code, $"Sample '{sample.Name}', twin '{id}': {error.Message}");
            }
        }
        var (relationshipsCreated, relationshipsExisting) = (0, 0);
        foreach (var relationship in content.Value.Relationships)
        {
            var source = (string?)relationship["$sourceId"] ?? "";
            var id = (string?)relationship["$relationshipId"] ?? "";
            var outcome = await grains.GetGrain<ITwinGrain>(source).PutRelationship(id, relationship.ToJsonString(), createOnly: true);
            if (Count(outcome, ref relationshipsCreated, ref relationshipsExisting) is { } error)
            {
                return new DoppelError(error.Code, $"Sample '{sample.Name}', relationship '{id}' of '{source}': {error.Message}");
            }
        }
        return Result<JsonObject>.Ok(new JsonObject
        {
            ["sample"] = sample.Name,
            ["models"] = loaded.Value.ToJson(),
            ["twins"] = new JsonObject { ["created"] = twinsCreated, ["existing"] = twinsExisting },
            ["relationships"] = new JsonObject { ["created"] = relationshipsCreated, ["existing"] = relationshipsExisting },
        });
    }

    // An existing item is what a create-only write refuses with PreconditionFailed: counted, not an error.
    private static DoppelError? Count(WriteOutcome outcome, ref int created, ref int existing)
    {
        if (outcome.Error is null)
        {
            created++;
            return null;
        }
        if (outcome.Error.Code == "PreconditionFailed")
        {
            existing++;
            return null;
        }
        return outcome.Error;
    }

    private static string ModelId(string json)
    {
        using var model = JsonDocument.Parse(json);
        return model.RootElement.ValueKind == JsonValueKind.Object && model.RootElement.TryGetProperty("@id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString()! : "";
    }
}
