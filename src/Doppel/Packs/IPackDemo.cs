namespace Doppel.Packs;

/// <summary>
/// A pack's demo (<c>doppel demo NAME</c>): the host starts a server, loads the demo's sample, and starts the demo with
/// a <see cref="DemoContext"/>; the demo makes the sample live (devices publishing, a controller reporting) until stopped.
/// </summary>
public interface IPackDemo
{
    /// <summary>The demo's name (<c>factory</c>), unique among demos.</summary>
    string Name { get; }

    string Description { get; }

    /// <summary>The sample the host loads first (a sample of any pack, by name).</summary>
    string Sample { get; }

    /// <summary>Whether <c>doppel demo</c> without a name runs this one (when several packs have demos, one says so).</summary>
    bool IsDefault { get; }

    /// <summary>Reads what it needs from the loaded sample and says what it will do; or why it cannot start.</summary>
    Task<Result<DemoSession>> StartAsync(DemoContext context, CancellationToken ct);
}
