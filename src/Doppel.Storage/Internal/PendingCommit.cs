namespace Doppel.Storage.Internal;

/// <summary>A caller's batch waiting for the writer; completes once its transaction committed.</summary>
internal sealed class PendingCommit(StoreChange[] changes, CancellationToken cancellationToken)
    : TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)
{
    public StoreChange[] Changes { get; } = changes;

    public CancellationToken CancellationToken { get; } = cancellationToken;
}
