using System.CommandLine;

namespace Doppel.Cli.Commands;

/// <summary>The root of the command tree: every verb, in the order help lists them. Tests walk it to cover every command.</summary>
internal static class DoppelCommand
{
    public static RootCommand Create() => new("Doppel: a self-hosted digital twin platform that speaks the Azure Digital Twins API.")
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
}
