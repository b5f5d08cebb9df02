using System.CommandLine;

namespace Doppel.Cli.Commands;

/// <summary>Options shared by the commands that talk to a running server.</summary>
internal static class ClientOptions
{
    public static Option<string> Server() => new("--server")
    {
        Description = "URL of the Doppel server (env DOPPEL_SERVER).",
        DefaultValueFactory = _ => DoppelClient.DefaultServer,
    };

    public static Option<bool> Json() => new("--json") { Description = "Print machine-readable JSON." };
}
