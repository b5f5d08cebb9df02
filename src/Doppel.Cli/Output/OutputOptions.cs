using System.CommandLine;

namespace Doppel.Cli.Output;

/// <summary>The --json and --wide options of a command that prints a table, added together so that every table can be widened.</summary>
internal sealed class OutputOptions
{
    public Option<bool> Json { get; } = new("--json") { Description = "Print machine-readable JSON, every value as the server sent it." };

    public Option<bool> Wide { get; } = new("--wide") { Description = "Never shorten cells to fit the terminal (output to a file or pipe is never shortened)." };

    /// <summary>Creates the options and adds them to <paramref name="command"/>.</summary>
    public static OutputOptions For(Command command)
    {
        var options = new OutputOptions();
        command.Options.Add(options.Json);
        command.Options.Add(options.Wide);
        return options;
    }

    /// <summary>Adds --wide alone, to a command whose tables have no JSON form (a pack's report).</summary>
    public static Option<bool> WideFor(Command command)
    {
        var wide = new OutputOptions().Wide;
        command.Options.Add(wide);
        return wide;
    }

    public OutputFormat Read(ParseResult parse) => new(parse.GetValue(Json), parse.GetValue(Wide));
}

/// <summary>How a command prints its results: JSON, or a table that may be shortened to the terminal unless wide.</summary>
internal readonly record struct OutputFormat(bool Json, bool Wide);
