using System.CommandLine;
using Doppel.Packs;

namespace Doppel.Cli.Commands;

/// <summary>The root of the command tree: every verb, in the order help lists them, then the verbs packs add. Tests walk it to cover every command.</summary>
internal static class DoppelCommand
{
    public static RootCommand Create() => Create(PackCatalog.Discovered);

    public static RootCommand Create(PackCatalog packs)
    {
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
            AuthCommands.Create(),
            RoutesCommands.Create(),
            RulesCommands.Create(),
            AlertsCommands.Create(),
            DetectorsCommands.Create(),
            DetectCommands.Create(),
            WatchCommand.Create(),
            AuditCommands.Create(),
            ImportCommand.Create(),
            GenerateCommands.Create(),
            SimulateCommand.Create(packs),
            RunsCommands.Create(),
            OptimizeCommand.Create(packs),
            PacksCommands.Create(packs),
            SamplesCommands.Create(),
            BenchCommands.Create(),
            DevicesCommands.Create(),
            PredictCommands.Create(),
        };
        foreach (var verb in PackVerbCommands.Create(packs, [.. root.Subcommands.Select(c => c.Name)]))
        {
            root.Subcommands.Add(verb);
        }
        var bench = root.Subcommands.First(c => c.Name == "bench");
        foreach (var benchmark in PackVerbCommands.CreateBenchmarks(packs, [.. bench.Subcommands.Select(c => c.Name)]))
        {
            bench.Subcommands.Add(benchmark);
        }
        return root;
    }
}
