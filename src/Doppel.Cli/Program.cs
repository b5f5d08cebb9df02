using System.CommandLine;
using Doppel.Cli;
using Doppel.Cli.Commands;
using Doppel.Packs;

// doppel: one command for every capability, and the verbs the packs found beside it add. Usage errors exit 2,
// failures 1, Ctrl+C 130, success 0.
var packs = PackCatalog.Discovered;
foreach (var problem in packs.Problems)
{
    Console.Error.WriteLine($"doppel: {problem}");
}
var root = new RootCommand("Doppel: a self-hosted digital twin platform that speaks the Azure Digital Twins API.")
{
    ServeCommand.Create(),
    DemoCommand.Create(packs),
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
    SimulateCommand.Create(packs),
    RunsCommands.Create(),
    OptimizeCommand.Create(packs),
    PacksCommands.Create(packs),
    SamplesCommands.Create(),
    BenchCommands.Create(),
    DevicesCommands.Create(),
};
foreach (var verb in PackVerbCommands.Create(packs, [.. root.Subcommands.Select(c => c.Name)]))
{
    root.Subcommands.Add(verb);
}

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
// Ctrl+C cancels the command's token; a server (serve, demo) needs a few seconds to stop cleanly before the process ends.
return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(30) });
