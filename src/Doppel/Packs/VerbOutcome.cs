namespace Doppel.Packs;

/// <summary>The outcome of a verb; the host maps it to its exit codes.</summary>
public enum VerbOutcome
{
    Succeeded,
    Failed,
    Usage,
}
