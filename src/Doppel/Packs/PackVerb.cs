namespace Doppel.Packs;

/// <summary>
/// A command-line verb a pack adds (<c>doppel NAME ARGUMENTS [OPTIONS]</c>), described as data so that the core needs
/// no command-line library: the host maps it onto its own, parses and checks the values, and calls <see cref="Action"/>.
/// A verb may have sub-verbs instead of an action of its own.
/// </summary>
/// <param name="Name">The verb (lower case, unique among the host's commands and every pack's verbs).</param>
/// <param name="Description">One sentence for <c>--help</c>.</param>
/// <param name="Action">What it does; null for a verb that only groups <see cref="Verbs"/>.</param>
public sealed record PackVerb(string Name, string Description, VerbAction? Action)
{
    /// <summary>Positional arguments, in order.</summary>
    public IReadOnlyList<VerbArgument> Arguments { get; init; } = [];

    /// <summary>Options (<c>--name value</c>, or <c>--name</c> for a flag).</summary>
    public IReadOnlyList<VerbOption> Options { get; init; } = [];

    /// <summary>Whether it talks to a server: the host adds <c>--server</c> (default <c>$DOPPEL_SERVER</c>) and <see cref="VerbContext.SendAsync"/> uses it.</summary>
    public bool UsesServer { get; init; }

    /// <summary>Sub-verbs (<c>doppel NAME SUB ...</c>).</summary>
    public IReadOnlyList<PackVerb> Verbs { get; init; } = [];
}
