namespace Doppel.Cli;

/// <summary>Every exit code a <c>doppel</c> command can end with (docs/cli.md lists them for users and scripts).</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Ok = 0;

    /// <summary>The command ran and failed: the server refused the request, an import or backfill had failed items, models are invalid.</summary>
    public const int Failed = 1;

    /// <summary>The command line or an input it names cannot be used: unknown option, malformed --server, missing file, malformed JSON or YAML.</summary>
    public const int Usage = 2;

    /// <summary>No Doppel server answered at the address used (refused, no such host, timed out, not HTTP).</summary>
    public const int Unreachable = 3;

    /// <summary>A fault inside doppel itself (a bug): one line says so; DOPPEL_DEBUG=1 prints the details.</summary>
    public const int Internal = 70;

    /// <summary>Stopped by Ctrl+C (SIGINT), after the command cleaned up (a server job it started is cancelled).</summary>
    public const int Interrupted = 130;

    /// <summary>Stopped by SIGTERM, after the same clean-up as Ctrl+C.</summary>
    public const int Terminated = 143;
}
