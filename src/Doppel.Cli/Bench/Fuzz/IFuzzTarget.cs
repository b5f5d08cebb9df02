namespace Doppel.Cli.Bench.Fuzz;

/// <summary>
/// One parser under fuzzing: its real inputs and grammar tokens (through <see cref="Mutator"/>), and how one input is
/// run through it. <see cref="Run"/> must be safe to call from several threads at once.
/// </summary>
internal interface IFuzzTarget
{
    /// <summary>The name <c>doppel bench fuzz --target</c> takes.</summary>
    string Name { get; }

    string Description { get; }

    /// <summary>Makes the inputs, from the target's seeds and tokens.</summary>
    TextMutator Mutator { get; }

    /// <summary>
    /// Runs one input. Returns the outcome's label (what was accepted, or the code of the expected error), so a campaign
    /// shows that its inputs reach past the first check. Any exception is a bug: one that escaped the parser, or a
    /// <see cref="FuzzViolation"/> when something the parser accepted did not behave (a query that parses but cannot run).
    /// </summary>
    string Run(string input);
}

/// <summary>Something a parser accepted that then misbehaved: a fuzz failure, like an exception escaping the parser.</summary>
internal sealed class FuzzViolation(string message) : Exception(message);
