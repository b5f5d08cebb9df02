using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.Events;
using Doppel.History;
using Doppel.Modeling;
using Doppel.Storage;
using Doppel.Twins;

namespace Doppel.Server.Runtime;

/// <inheritdoc cref="ITwinGrain"/>
/// <remarks>
/// The grain keeps no state of its own: the graph in <see cref="TwinRuntime"/> is the state, and the grain is what
/// makes it single-writer (Orleans runs one call at a time per grain). That keeps idle twins free of memory
/// beyond their document.
/// </remarks>
// Being stateless, a twin grain reactivates for the price of an object; Orleans' default of 15 idle minutes would keep
// an activation (about 1.5 KB) alive for every twin written in a burst long after it, so idle ones go after 2 minutes.
[CollectionAgeLimit(Minutes = 2)]
internal sealed class TwinGrain(TwinRuntime runtime) : Grain, ITwinGrain
{
    private string Id => this.GetPrimaryKeyString();

    public async Task<WriteOutcome> Put(string body, bool createOnly)
    {
        var json = ParseObject(body);
        if (!json.IsSuccess)
        {
            return WriteOutcome.Failed(json.Error);
        }
        // The stripe makes "does it exist" and the write one step against the bulk importer, which creates twins outside grains.
        using var stripe = await runtime.Locks.AcquireAsync(Id);
        var exists = runtime.Graph.TryGetTwin(Id, out var before);
        if (createOnly && exists)
        {
            return WriteOutcome.Failed("PreconditionFailed", $"Twin '{Id}' already exists and If-None-Match: * asked to create only.");
        }
        if (DecommissionedModel(json.Value["$metadata"]?["$model"]) is { } decommissioned)
        {
            return WriteOutcome.Failed(decommissioned);
        }
        var now = runtime.Time.GetUtcNow();
        var created = runtime.Operations.Create(Id, json.Value, now, TwinRuntime.NewETag());
        if (!created.IsSuccess)
        {
            return WriteOutcome.Failed(created.Error);
        }
        var twin = created.Value;
        var text = twin.ToJsonString();
        await runtime.Store.CommitAsync(new StoreBatch().PutTwin(Id, text));
        await runtime.History.AppendAsync(HistoryPoints.PropertyChanges(exists ? before : null, twin));
        runtime.Graph.PutTwin(twin);
        runtime.Rules?.OnTwinChanged(exists ? before : null, twin);
        Announce(() => exists ? TwinEvents.TwinUpdated(before!, twin, now) : TwinEvents.TwinCreated(twin, now));
        return WriteOutcome.Written(text, twin.ETag);
    }

    public Task<WriteOutcome> Patch(string patch, string? ifMatch) =>
        Update(ifMatch, patch, (current, document) => runtime.Operations.Patch(current, document, runtime.Time.GetUtcNow(), TwinRuntime.NewETag()));

    public Task<WriteOutcome> PatchComponent(string componentPath, string patch, string? ifMatch) =>
        Update(ifMatch, patch, (current, document) => runtime.Operations.PatchComponent(current, componentPath, document, runtime.Time.GetUtcNow(), TwinRuntime.NewETag()));

    public async Task<WriteOutcome> Delete(string? ifMatch)
    {
        using var _ = await runtime.Locks.AcquireAsync(Id);
        if (!runtime.Graph.TryGetTwin(Id, out var current))
        {
            return TwinNotFound();
        }
        if (!ETags.IfMatchSatisfied(ifMatch, current.ETag))
        {
            return EtagMismatch(ifMatch, current.ETag);
        }
        if (runtime.Graph.HasRelationships(Id))
        {
            return WriteOutcome.Failed("RelationshipsNotDeleted", $"Twin '{Id}' still has incoming or outgoing relationships; delete them first.");
        }
        await runtime.Store.CommitAsync(new StoreBatch().DeleteTwin(Id));
        runtime.Graph.RemoveTwin(Id);
        runtime.Live.Remove(Id);
        runtime.Rules?.OnTwinChanged(current, null);
        Announce(() => TwinEvents.TwinDeleted(current, runtime.Time.GetUtcNow()));
        return WriteOutcome.Deleted;
    }

    public async Task<WriteOutcome> ReportProperties(string? component, string values, DateTimeOffset sourceTime, string? messageId, bool checkDuplicate)
    {
        if (!runtime.Graph.TryGetTwin(Id, out var current))
        {
            return TwinNotFound();
        }
        using var document = JsonDocument.Parse(values);
        var all = new List<JsonPatchOperation>();
        var newer = new List<JsonPatchOperation>();
        var points = new List<HistoryPoint>();
        var time = JsonValue.Create(sourceTime.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        foreach (var member in document.RootElement.EnumerateObject())
        {
            if (member.Name.StartsWith('$'))
            {
                continue;
            }
            JsonPatchOperation[] operations =
            [
                new("add", "/" + member.Name, JsonNode.Parse(member.Value.GetRawText())),
                new("add", $"/$metadata/{member.Name}/sourceTime", time.DeepClone()),
            ];
            all.AddRange(operations);
            if (current.PropertyTime(component, member.Name) is not { } held || held < sourceTime)
            {
                newer.AddRange(operations);
            }
            points.Add(HistoryPoints.Property(Id, component, member.Name, member.Value, sourceTime, messageId));
        }
        // Validated as a whole even when late values change nothing: a wrong message is refused, not half-applied.
        var checkedAll = Apply(current, component, all);
        if (!checkedAll.IsSuccess)
        {
            return WriteOutcome.Failed(checkedAll.Error);
        }
        TwinDocument? twin = null;
        if (newer.Count > 0)
        {
            var applied = newer.Count == all.Count ? checkedAll : Apply(current, component, newer);
            if (!applied.IsSuccess)
            {
                return WriteOutcome.Failed(applied.Error);
            }
            twin = applied.Value;
        }
        // History first: a crash between the two commits leaves a recorded value the state has not taken yet (the device,
        // unacknowledged, sends again), never a state that history lacks.
        await runtime.History.AppendAsync(points, checkDuplicate ? DuplicateCheck.Skip : DuplicateCheck.RecordOnly);
        if (twin is not null)
        {
            await runtime.Store.CommitAsync(new StoreBatch().PutTwin(Id, twin.ToJsonString()));
        }
        if (twin is null)
        {
            return WriteOutcome.Written(current.ToJsonString(), current.ETag);
        }
        runtime.Graph.PutTwin(twin);
        runtime.Rules?.OnTwinChanged(current, twin);
        Announce(() => TwinEvents.TwinUpdated(current, twin, twin.LastUpdateTime));
        return WriteOutcome.Written(twin.ToJsonString(), twin.ETag);
    }

    private Result<TwinDocument> Apply(TwinDocument current, string? component, List<JsonPatchOperation> operations)
    {
        var patch = JsonPatchDocument.Create(operations);
        if (!patch.IsSuccess)
        {
            return Result<TwinDocument>.Fail(patch.Error);
        }
        var now = runtime.Time.GetUtcNow();
        return component is null
            ? runtime.Operations.Patch(current, patch.Value, now, TwinRuntime.NewETag())
            : runtime.Operations.PatchComponent(current, component, patch.Value, now, TwinRuntime.NewETag());
    }

    public async Task<WriteOutcome> PutRelationship(string relationshipId, string body, bool createOnly)
    {
        var json = ParseObject(body);
        if (!json.IsSuccess)
        {
            return WriteOutcome.Failed(json.Error);
        }
        if (!runtime.Graph.TryGetTwin(Id, out var source))
        {
            return TwinNotFound();
        }
        var targetId = json.Value["$targetId"] is JsonValue t && t.TryGetValue<string>(out var id) ? id : null;
        // The target's stripe orders this with the target's deletion; the source's with the bulk importer.
        using var _ = await runtime.Locks.AcquireAsync(Id, targetId ?? Id);

        var existing = runtime.Graph.TryGetRelationship(Id, relationshipId, out var old) ? old : null;
        if (createOnly && existing is not null)
        {
            return WriteOutcome.Failed("PreconditionFailed", $"Relationship '{relationshipId}' of twin '{Id}' already exists and If-None-Match: * asked to create only.");
        }
        var name = json.Value["$relationshipName"] is JsonValue n && n.TryGetValue<string>(out var s) ? s : "";
        var sameName = runtime.Graph.CountOutgoing(Id, name) - (existing?.Name == name ? 1 : 0);
        var target = targetId is not null && runtime.Graph.TryGetTwin(targetId, out var found) ? found : null;
        var created = runtime.Operations.CreateRelationship(source, relationshipId, json.Value, target, sameName, TwinRuntime.NewETag());
        if (!created.IsSuccess)
        {
            return WriteOutcome.Failed(created.Error);
        }
        return await SaveAsync(existing, created.Value, source);
    }

    public async Task<WriteOutcome> PatchRelationship(string relationshipId, string patch, string? ifMatch)
    {
        if (!runtime.Graph.TryGetTwin(Id, out var source))
        {
            return TwinNotFound();
        }
        if (!runtime.Graph.TryGetRelationship(Id, relationshipId, out var current))
        {
            return RelationshipNotFound(relationshipId);
        }
        if (!ETags.IfMatchSatisfied(ifMatch, current.ETag))
        {
            return EtagMismatch(ifMatch, current.ETag);
        }
        var document = JsonPatchDocument.Parse(patch);
        if (!document.IsSuccess)
        {
            return WriteOutcome.Failed(document.Error);
        }
        var patched = runtime.Operations.PatchRelationship(current, source, document.Value, TwinRuntime.NewETag());
        if (!patched.IsSuccess)
        {
            return WriteOutcome.Failed(patched.Error);
        }
        return await SaveAsync(current, patched.Value, source);
    }

    public async Task<WriteOutcome> DeleteRelationship(string relationshipId, string? ifMatch)
    {
        if (!runtime.Graph.TryGetTwin(Id, out var source))
        {
            return TwinNotFound();
        }
        if (!runtime.Graph.TryGetRelationship(Id, relationshipId, out var current))
        {
            return RelationshipNotFound(relationshipId);
        }
        if (!ETags.IfMatchSatisfied(ifMatch, current.ETag))
        {
            return EtagMismatch(ifMatch, current.ETag);
        }
        await runtime.Store.CommitAsync(new StoreBatch().DeleteRelationship(Id, relationshipId));
        runtime.Graph.RemoveRelationship(Id, relationshipId);
        runtime.Rules?.OnRelationshipChanged(Id);
        Announce(() => TwinEvents.RelationshipDeleted(current, source.Model.Value, runtime.Time.GetUtcNow()));
        return WriteOutcome.Deleted;
    }

    private async Task<WriteOutcome> Update(string? ifMatch, string patch, Func<TwinDocument, JsonPatchDocument, Result<TwinDocument>> apply)
    {
        if (!runtime.Graph.TryGetTwin(Id, out var current))
        {
            return TwinNotFound();
        }
        if (!ETags.IfMatchSatisfied(ifMatch, current.ETag))
        {
            return EtagMismatch(ifMatch, current.ETag);
        }
        var document = JsonPatchDocument.Parse(patch);
        if (!document.IsSuccess)
        {
            return WriteOutcome.Failed(document.Error);
        }
        var patched = apply(current, document.Value);
        if (!patched.IsSuccess)
        {
            return WriteOutcome.Failed(patched.Error);
        }
        var twin = patched.Value;
        if (twin.Model != current.Model && DecommissionedModel(JsonValue.Create(twin.Model.Value)) is { } decommissioned)
        {
            return WriteOutcome.Failed(decommissioned);
        }
        var text = twin.ToJsonString();
        await runtime.Store.CommitAsync(new StoreBatch().PutTwin(Id, text));
        // The change is in history before it is acknowledged; a crash between the two commits loses only its history point.
        await runtime.History.AppendAsync(HistoryPoints.PropertyChanges(current, twin));
        runtime.Graph.PutTwin(twin);
        runtime.Rules?.OnTwinChanged(current, twin);
        Announce(() => TwinEvents.TwinUpdated(current, twin, twin.LastUpdateTime));
        return WriteOutcome.Written(text, twin.ETag);
    }

    /// <summary>Commits a relationship, then publishes it to the graph: acknowledged only once durable.</summary>
    private async Task<WriteOutcome> SaveAsync(RelationshipDocument? before, RelationshipDocument relationship, TwinDocument source)
    {
        var text = relationship.ToJsonString();
        await runtime.Store.CommitAsync(new StoreBatch().PutRelationship(Id, relationship.Id, relationship.TargetId, relationship.Name, text));
        runtime.Graph.PutRelationship(relationship);
        runtime.Rules?.OnRelationshipChanged(Id);
        Announce(() => before is null
            ? TwinEvents.RelationshipCreated(relationship, source.Model.Value, runtime.Time.GetUtcNow())
            : TwinEvents.RelationshipUpdated(before, relationship, source.Model.Value, runtime.Time.GetUtcNow()));
        return WriteOutcome.Written(text, relationship.ETag);
    }

    /// <summary>Publishes a change to live streams and event routes, building the event only when someone listens.</summary>
    private void Announce(Func<TwinEvent?> create)
    {
        if (runtime.Events.HasSubscribers && create() is { } e)
        {
            runtime.Events.Publish(e);
        }
    }

    private DoppelError? DecommissionedModel(JsonNode? model) =>
        model is JsonValue v && v.TryGetValue<string>(out var id) && runtime.Models.Get(new Dtmi(id)) is { Decommissioned: true }
            ? new DoppelError("ModelDecommissioned", $"Model '{id}' is decommissioned; new twins cannot use it.")
            : null;

    private static Result<JsonObject> ParseObject(string body) =>
        Api.RequestBody.ExpectObject(Api.RequestBody.ParseJson(System.Text.Encoding.UTF8.GetBytes(body)), "a document");

    private WriteOutcome TwinNotFound() => WriteOutcome.Failed("DigitalTwinNotFound", $"There is no digital twin with id '{Id}'.");

    private WriteOutcome RelationshipNotFound(string relationshipId) =>
        WriteOutcome.Failed("RelationshipNotFound", $"Twin '{Id}' has no relationship with id '{relationshipId}'.");

    private static WriteOutcome EtagMismatch(string? ifMatch, string current) =>
        WriteOutcome.Failed("PreconditionFailed", $"If-Match {ifMatch} does not match the current etag {current}.");
}
