namespace Doppel.Packs;

/// <summary>How a verb ended: success, a failure, or a usage error, with a one-line message the host prints.</summary>
public sealed record VerbResult
{
    private VerbResult(VerbOutcome outcome, string? message) => (Outcome, Message) = (outcome, message);

    public static VerbResult Ok { get; } = new(VerbOutcome.Succeeded, null);

    public VerbOutcome Outcome { get; }

    public string? Message { get; }

    /// <summary>It could not do its work (the server refused, the twin is missing).</summary>
    public static VerbResult Failed(string message) => new(VerbOutcome.Failed, message);

    /// <summary>It was given values it cannot use.</summary>
    public static VerbResult Usage(string message) => new(VerbOutcome.Usage, message);
}
