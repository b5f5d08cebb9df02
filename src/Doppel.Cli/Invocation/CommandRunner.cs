using System.CommandLine;
using System.Globalization;
using Doppel.Cli.Invocation.Internal;

namespace Doppel.Cli.Invocation;

/// <summary>
/// Runs a parsed command line: the one place that decides how every command's failures are told (one line on standard
/// error, no stack trace) and with which exit code, including Ctrl+C. Commands report expected failures themselves or
/// throw <see cref="CommandFailure"/>; anything else is caught here.
/// </summary>
internal static class CommandRunner
{
    /// <summary>Set to 1 to print a fault's full details after its one-line message.</summary>
    public const string DebugVariable = "DOPPEL_DEBUG";

    public static async Task<int> RunAsync(RootCommand root, string[] args)
    {
        // Numbers and times print the same on every machine, whatever its locale: scripts and snapshots depend on it.
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        // '@file.json' is a JSON document argument here, not a response file of more arguments.
        var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parse.Errors.Count > 0)
        {
            var help = $"See '{CommandPath(parse)} --help'.";
            for (var i = 0; i < parse.Errors.Count; i++)
            {
                var message = parse.Errors[i].Message.TrimEnd();
                Console.Error.WriteLine($"doppel: {message}{(i == parse.Errors.Count - 1 ? " " + help : "")}");
            }
            return ExitCodes.Usage;
        }

        using var interrupts = new Interrupts();
        var configuration = new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
        try
        {
            var exit = await parse.InvokeAsync(configuration, interrupts.Token);
            return interrupts.ExitCode ?? exit;
        }
        catch (Exception e) when (interrupts.ExitCode is { } code)
        {
            // Whatever failed after Ctrl+C failed because of it; the command has done its clean-up.
            Debug(e);
            return code;
        }
        catch (Exception e)
        {
            var failure = Describe(e, parse);
            Console.Error.WriteLine($"doppel: {failure.Message.ReplaceLineEndings(" ")}");
            if (failure.ExitCode == ExitCodes.Internal || e is not CommandFailure)
            {
                Debug(e);
            }
            return failure.ExitCode;
        }
    }

    /// <summary>The failure an exception stands for, as one line and an exit code.</summary>
    internal static CommandFailure Describe(Exception e, ParseResult parse) => e switch
    {
        CommandFailure failure => failure,
        HttpRequestException { StatusCode: { } status } => CommandFailure.Failed($"the server answered {(int)status} ({status})."),
        HttpRequestException http => Failures.Unreachable(Server(parse), http),
        OperationCanceledException { InnerException: TimeoutException } => Failures.TimedOut(Server(parse), DoppelClient.Timeout),
        MQTTnet.Exceptions.MqttCommunicationException mqtt => new CommandFailure(ExitCodes.Unreachable, $"cannot reach the MQTT broker ({Failures.Reason(mqtt)})."),
        IOException or UnauthorizedAccessException => CommandFailure.Failed(e.Message.TrimEnd('.') + "."),
        _ => new CommandFailure(ExitCodes.Internal, $"internal error: {e.Message.TrimEnd('.')}. This is a bug in doppel; run again with {DebugVariable}=1 for the details to report."),
    };

    private static void Debug(Exception e)
    {
        if (Environment.GetEnvironmentVariable(DebugVariable) is "1" or "true")
        {
            Console.Error.WriteLine(e);
        }
    }

    /// <summary>The --server the command was given (or its default), for messages about a failure to reach it.</summary>
    private static string? Server(ParseResult parse)
    {
        var option = parse.CommandResult.Command.Options.OfType<Option<string>>().FirstOrDefault(o => o.Name == "--server");
        return option is null ? null : parse.GetValue(option);
    }

    /// <summary>"doppel twins patch", for the hint after a usage error.</summary>
    private static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            if (result.Command is not RootCommand)
            {
                names.Add(result.Command.Name);
            }
        }
        names.Add("doppel");
        names.Reverse();
        return string.Join(' ', names);
    }
}
