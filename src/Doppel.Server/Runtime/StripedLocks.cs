namespace Doppel.Server.Runtime;

/// <summary>
/// Async locks by key, striped. A twin's deletion and the creation of a relationship that targets it run on
/// different grains; holding the target's stripe in both makes "no relationship left" and "target exists" atomic.
/// </summary>
internal sealed class StripedLocks
{
    private readonly SemaphoreSlim[] _stripes = Enumerable.Range(0, 1024).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    public async ValueTask<Releaser> AcquireAsync(string key)
    {
        var stripe = _stripes[StripeOf(key)];
        await stripe.WaitAsync();
        return new Releaser(stripe);
    }

    /// <summary>Both keys' stripes, taken in stripe order so two writers holding two keys each cannot deadlock.</summary>
    public async ValueTask<PairReleaser> AcquireAsync(string first, string second)
    {
        var a = StripeOf(first);
        var b = StripeOf(second);
        if (a == b)
        {
            await _stripes[a].WaitAsync();
            return new PairReleaser(_stripes[a], null);
        }
        var (low, high) = a < b ? (a, b) : (b, a);
        await _stripes[low].WaitAsync();
        await _stripes[high].WaitAsync();
        return new PairReleaser(_stripes[high], _stripes[low]);
    }

    /// <summary>
    /// Every stripe, in order: the bulk importer's exclusive section. Grains hold at most two stripes, taken in
    /// order, so this cannot deadlock with them; while it is held no grain can create or delete a twin or relationship.
    /// </summary>
    public async ValueTask<AllReleaser> AcquireAllAsync(CancellationToken ct)
    {
        for (var i = 0; i < _stripes.Length; i++)
        {
            try
            {
                await _stripes[i].WaitAsync(ct);
            }
            catch
            {
                for (var j = i - 1; j >= 0; j--)
                {
                    _stripes[j].Release();
                }
                throw;
            }
        }
        return new AllReleaser(_stripes);
    }

    private int StripeOf(string key) => (int)((uint)StringComparer.Ordinal.GetHashCode(key) % (uint)_stripes.Length);

    public readonly struct Releaser(SemaphoreSlim stripe) : IDisposable
    {
        public void Dispose() => stripe.Release();
    }

    public readonly struct PairReleaser(SemaphoreSlim first, SemaphoreSlim? second) : IDisposable
    {
        public void Dispose()
        {
            first.Release();
            second?.Release();
        }
    }

    public readonly struct AllReleaser(SemaphoreSlim[] stripes) : IDisposable
    {
        public void Dispose()
        {
            for (var i = stripes.Length - 1; i >= 0; i--)
            {
                stripes[i].Release();
            }
        }
    }
}
