using Doppel.Storage.Internal;

namespace Doppel.Storage;

/// <summary>A list of changes that <see cref="SqliteTwinStore.CommitAsync"/> applies atomically, in order.</summary>
public sealed class StoreBatch
{
    private readonly List<StoreChange> _changes = [];

    /// <summary>The number of changes in the batch.</summary>
    public int Count => _changes.Count;

    internal List<StoreChange> Changes => _changes;

    /// <summary>Inserts or replaces a model; an existing model keeps its place in upload order.</summary>
    public StoreBatch PutModel(string id, string json, DateTimeOffset uploadTime, bool decommissioned)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(json);
        return Add(new StoreChange(ChangeKind.PutModel, id, Json: json, Time: uploadTime, Flag: decommissioned));
    }

    /// <summary>Deletes a model if present.</summary>
    public StoreBatch DeleteModel(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return Add(new StoreChange(ChangeKind.DeleteModel, id));
    }

    /// <summary>Inserts or replaces a twin.</summary>
    public StoreBatch PutTwin(string id, string json)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(json);
        return Add(new StoreChange(ChangeKind.PutTwin, id, Json: json));
    }

    /// <summary>Inserts or replaces a twin given as UTF-8 JSON, which must not change until the commit completes (stored as text, as the string overload).</summary>
    public StoreBatch PutTwin(string id, byte[] utf8Json)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(utf8Json);
        return Add(new StoreChange(ChangeKind.PutTwin, id, Utf8Json: utf8Json));
    }

    /// <summary>Deletes a twin if present (its relationships are the caller's business).</summary>
    public StoreBatch DeleteTwin(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return Add(new StoreChange(ChangeKind.DeleteTwin, id));
    }

    /// <summary>Inserts or replaces a relationship.</summary>
    public StoreBatch PutRelationship(string sourceId, string relationshipId, string targetId, string name, string json)
    {
        ArgumentNullException.ThrowIfNull(sourceId);
        ArgumentNullException.ThrowIfNull(relationshipId);
        ArgumentNullException.ThrowIfNull(targetId);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(json);
        return Add(new StoreChange(ChangeKind.PutRelationship, sourceId, relationshipId, json, targetId, name));
    }

    /// <summary>Inserts or replaces a relationship given as UTF-8 JSON, which must not change until the commit completes.</summary>
    public StoreBatch PutRelationship(string sourceId, string relationshipId, string targetId, string name, byte[] utf8Json)
    {
        ArgumentNullException.ThrowIfNull(sourceId);
        ArgumentNullException.ThrowIfNull(relationshipId);
        ArgumentNullException.ThrowIfNull(targetId);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(utf8Json);
        return Add(new StoreChange(ChangeKind.PutRelationship, sourceId, relationshipId, Extra1: targetId, Extra2: name, Utf8Json: utf8Json));
    }

    /// <summary>Deletes a relationship if present.</summary>
    public StoreBatch DeleteRelationship(string sourceId, string relationshipId)
    {
        ArgumentNullException.ThrowIfNull(sourceId);
        ArgumentNullException.ThrowIfNull(relationshipId);
        return Add(new StoreChange(ChangeKind.DeleteRelationship, sourceId, relationshipId));
    }

    /// <summary>Inserts or replaces an event route.</summary>
    public StoreBatch PutEventRoute(string id, string json)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(json);
        return Add(new StoreChange(ChangeKind.PutEventRoute, id, Json: json));
    }

    /// <summary>Deletes an event route if present.</summary>
    public StoreBatch DeleteEventRoute(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return Add(new StoreChange(ChangeKind.DeleteEventRoute, id));
    }

    /// <summary>Inserts or replaces a configuration document.</summary>
    public StoreBatch PutDocument(string kind, string id, string json)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(json);
        return Add(new StoreChange(ChangeKind.PutDocument, kind, id, Json: json));
    }

    /// <summary>Deletes a configuration document if present.</summary>
    public StoreBatch DeleteDocument(string kind, string id)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(id);
        return Add(new StoreChange(ChangeKind.DeleteDocument, kind, id));
    }

    /// <summary>Inserts or replaces an event delivery endpoint (a Doppel extension: ADT keeps endpoints in its control plane).</summary>
    public StoreBatch PutEndpoint(string name, string json)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(json);
        return Add(new StoreChange(ChangeKind.PutEndpoint, name, Json: json));
    }

    /// <summary>Deletes an endpoint if present.</summary>
    public StoreBatch DeleteEndpoint(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Add(new StoreChange(ChangeKind.DeleteEndpoint, name));
    }

    private StoreBatch Add(in StoreChange change)
    {
        _changes.Add(change);
        return this;
    }
}
