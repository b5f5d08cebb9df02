namespace Doppel.Storage;

/// <summary>Which audit records to read; every criterion given must hold, a null one is not applied.</summary>
/// <param name="Subject">Exactly this subject.</param>
/// <param name="Action">Exactly this action.</param>
/// <param name="ResourceKind">Exactly this kind of resource.</param>
/// <param name="ResourceId">Exactly this resource id.</param>
/// <param name="ResourcePrefix">Resource ids that start with this text.</param>
/// <param name="Since">At or after this time.</param>
/// <param name="Until">Before this time.</param>
/// <param name="Before">Records older than this sequence number (the previous page's last), for paging.</param>
public sealed record AuditSearch(
    string? Subject = null,
    string? Action = null,
    string? ResourceKind = null,
    string? ResourceId = null,
    string? ResourcePrefix = null,
    DateTimeOffset? Since = null,
    DateTimeOffset? Until = null,
    long? Before = null);
