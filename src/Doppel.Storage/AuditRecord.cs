namespace Doppel.Storage;

/// <summary>One audited change: who did what to which resource, when, and how it ended.</summary>
/// <param name="Sequence">The record's position in the log (ascending in commit order); 0 for a record not yet stored.</param>
/// <param name="Time">When the change was answered, on the server's domain clock.</param>
/// <param name="Subject">Who asked: <c>key:&lt;name&gt;</c>, <c>oidc:&lt;sub&gt;</c> or <c>anonymous</c>.</param>
/// <param name="Action">What was asked, such as <c>twin.patch</c> or <c>model.delete</c>.</param>
/// <param name="ResourceKind">The kind of resource: <c>twin</c>, <c>relationship</c>, <c>model</c>, <c>route</c>, ...</param>
/// <param name="ResourceId">The resource's id (a relationship's is <c>twinId/relationshipId</c>).</param>
/// <param name="Status">The HTTP status the request was answered with.</param>
/// <param name="Summary">A short description of the change (JSON Patch paths, a model id), never secret values.</param>
public sealed record AuditRecord(long Sequence, DateTimeOffset Time, string Subject, string Action, string ResourceKind, string ResourceId, int Status, string? Summary);
