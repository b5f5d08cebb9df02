using Spectre.Console;

namespace Doppel.Cli.Output;

/// <summary>
/// Spectre.Console consoles over standard output and standard error. Output to a file or a pipe is plain: no colour, no
/// ANSI codes, no live progress, no width limit, so scripts and snapshots see the same text on every machine.
/// </summary>
internal static class Terminal
{
    private static IAnsiConsole? _out;
    private static IAnsiConsole? _error;

    /// <summary>Standard output, for results.</summary>
    public static IAnsiConsole Out => _out ??= Create(Console.Out, Console.IsOutputRedirected);

    /// <summary>Standard error, for progress and messages.</summary>
    public static IAnsiConsole Error => _error ??= Create(Console.Error, Console.IsErrorRedirected);

    /// <summary>Whether standard error is a terminal a live progress display can redraw.</summary>
    public static bool ShowsProgress => !Console.IsErrorRedirected;

    /// <summary>The width results should fit, or null when nothing should be shortened (a file or pipe).</summary>
    public static int? OutputWidth => Console.IsOutputRedirected ? null : Out.Profile.Width;

    /// <summary>Whether styles (bold headers) may be used on standard output.</summary>
    public static bool StylesOutput => !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null or "";

    private static IAnsiConsole Create(TextWriter writer, bool redirected) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(writer),
        Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
        ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
        Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
    });
}
