namespace Doppel.Storage.Internal;

/// <summary>A caller's batch waiting for the writer; completes once its transaction committed.</summary>
internal class PendingCommit(StoreChange[] changes, CancellationToken cancellationToken)
    : TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)
{
    public StoreChange[] Changes { get; } = changes;

    public CancellationToken CancellationToken { get; } = cancellationToken;
}

/// <summary>Reads a PRAGMA on the writer's own connection (per-connection settings such as <c>synchronous</c>), for tests and diagnostics.</summary>
internal sealed class PragmaProbe(string name) : PendingCommit([], CancellationToken.None)
{
    public string Name { get; } = name;

    public object? Result { get; set; }
}
