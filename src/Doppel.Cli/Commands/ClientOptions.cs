using System.CommandLine;

namespace Doppel.Cli.Commands;

/// <summary>Options shared by the commands that talk to a running server.</summary>
internal static class ClientOptions
{
    /// <summary>--server: checked when the command line is parsed, so a malformed address is a usage error before anything runs.</summary>
    public static Option<string> Server()
    {
        var option = new Option<string>("--server")
        {
            Description = $"URL of the Doppel server (default ${DoppelClient.ServerVariable}, else http://127.0.0.1:5080).",
            HelpName = "url",
            DefaultValueFactory = _ => DoppelClient.DefaultServer,
        };
        option.Validators.Add(CheckAddress);
        return option;
    }

    /// <summary>A --server without a default (a benchmark's: given, it loads that server instead of one of its own), checked as <see cref="Server"/> is.</summary>
    public static Option<string?> OptionalServer(string description)
    {
        var option = new Option<string?>("--server") { Description = description, HelpName = "url" };
        option.Validators.Add(CheckAddress);
        return option;
    }

    private static void CheckAddress(System.CommandLine.Parsing.OptionResult result)
    {
        var value = result.GetValueOrDefault<string>();
        if (value is not null && DoppelClient.ParseAddress(value) is { IsSuccess: false } bad)
        {
            result.AddError(bad.Error.Message);
        }
    }

    public static Option<bool> Json() => new("--json") { Description = "Print machine-readable JSON." };
}
