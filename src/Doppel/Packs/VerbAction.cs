namespace Doppel.Packs;

/// <summary>Runs a verb; an expected failure is a <see cref="VerbResult"/>, not an exception.</summary>
public delegate Task<VerbResult> VerbAction(VerbContext context, CancellationToken ct);
