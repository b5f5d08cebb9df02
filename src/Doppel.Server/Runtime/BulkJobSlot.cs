namespace Doppel.Server.Runtime;

/// <summary>ADT runs one bulk job (import or delete) at a time per instance; this is that one slot.</summary>
public sealed class BulkJobSlot
{
    private readonly SemaphoreSlim _slot = new(1, 1);

    public bool TryTake() => _slot.Wait(0);

    public void Release() => _slot.Release();
}
