namespace Doppel.Server.Runtime;

/// <summary>
/// The single writer of one twin and of the relationships it is the source of. Every write is validated by
/// <see cref="Doppel.Twins.TwinOperations"/>, committed to storage, then published to the in-memory graph,
/// and only then acknowledged.
/// </summary>
public interface ITwinGrain : IGrainWithStringKey
{
    Task<WriteOutcome> Put(string body, bool createOnly);

    Task<WriteOutcome> Patch(string patch, string? ifMatch);

    Task<WriteOutcome> PatchComponent(string componentPath, string patch, string? ifMatch);

    Task<WriteOutcome> Delete(string? ifMatch);

    /// <summary>
    /// Applies properties a device reported (a JSON object of DTDL names to values) measured at <paramref name="sourceTime"/>:
    /// each property changes only when this is newer than its current sourceTime; every value goes to history either way.
    /// </summary>
    Task<WriteOutcome> ReportProperties(string? component, string values, DateTimeOffset sourceTime, string? messageId, bool checkDuplicate);

    Task<WriteOutcome> PutRelationship(string relationshipId, string body, bool createOnly);

    Task<WriteOutcome> PatchRelationship(string relationshipId, string patch, string? ifMatch);

    Task<WriteOutcome> DeleteRelationship(string relationshipId, string? ifMatch);
}
