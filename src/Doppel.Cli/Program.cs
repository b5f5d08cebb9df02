using System.CommandLine;
using Doppel.Cli;
using Doppel.Cli.Commands;

// doppel: one command for every capability. Usage errors exit 2, failures 1, success 0.
var root = new RootCommand("Doppel: a self-hosted digital twin platform that speaks the Azure Digital Twins API.")
{
    ServeCommand.Create(),
    DemoCommand.Create(),
    ModelsCommands.Create(),
    TwinsCommands.Create(),
    QueryCommand.Create(),
    HistoryCommands.Create(),
    IngestCommands.Mappings(),
    IngestCommands.DeadLetters(),
    EndpointsCommands.Create(),
    RoutesCommands.Create(),
    WatchCommand.Create(),
    ImportCommand.Create(),
    GenerateCommands.Create(),
    SimulateCommand.Create(),
    RunsCommands.Create(),
    OptimizeCommand.Create(),
    BenchCommands.Create(),
    DevicesCommands.Create(),
};

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors)
    {
        Console.Error.WriteLine($"doppel: {error.Message}");
    }
    Console.Error.WriteLine("Run 'doppel --help' for usage.");
    return ExitCodes.Usage;
}
return await parse.InvokeAsync();
