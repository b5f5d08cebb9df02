namespace Doppel.Cli.Invocation;

/// <summary>
/// A failure a command cannot go on from, reported by <see cref="CommandRunner"/> as one line with its exit code. Input
/// helpers and the client throw it so that each command's action reads as its happy path; where a caller can act on a
/// failure, the helpers return a <see cref="Result{T}"/> instead.
/// </summary>
internal sealed class CommandFailure(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    /// <summary>The command line or an input it names cannot be used (exit 2).</summary>
    public static CommandFailure Usage(string message) => new(ExitCodes.Usage, message);

    /// <summary>The operation ran and failed (exit 1).</summary>
    public static CommandFailure Failed(string message) => new(ExitCodes.Failed, message);
}
