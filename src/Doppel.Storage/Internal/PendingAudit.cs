namespace Doppel.Storage.Internal;

/// <summary>Records waiting for the audit writer; completes once they committed.</summary>
internal sealed class PendingAudit(AuditRecord[] records) : TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)
{
    public AuditRecord[] Records { get; } = records;
}
