using System.CommandLine;
using Doppel.Cli.Generate;
using Doppel.Cli.Input;
using Doppel.Cli.Invocation;

namespace Doppel.Cli.Commands;

/// <summary>doppel generate: synthetic data sets in ADT's import format.</summary>
internal static class GenerateCommands
{
    public static Command Create() => new("generate", "Generate synthetic twin graphs as ADT import files.") { Rec() };

    private static Command Rec()
    {
        var twins = new Option<int>("--twins") { Description = "How many twins.", DefaultValueFactory = _ => 10_000 };
        var output = new Option<string>("--out") { Description = "The NDJSON file to write.", Required = true };
        var seed = new Option<int>("--seed") { Description = "Random seed; the same seed gives the same file.", DefaultValueFactory = _ => 1 };
        var models = new Option<string?>("--models") { Description = "Folder of RealEstateCore v3 DTDL interfaces (default: shared/data/dtdl/building-rec-v3 found by walking up, else the repository's test subset)." }.Reads(InputKind.JsonFolder);
        var command = new Command("rec", "A RealEstateCore v3 portfolio: buildings, levels, rooms, equipment and sensors, with hasPart/isPartOf, locatedIn/isLocationOf, hasCapability/isCapabilityOf and serves.")
        {
            twins, output, seed, models,
        };
        command.SetAction((parse, ct) =>
        {
            if (parse.GetValue(twins) < 1)
            {
                throw CommandFailure.Usage("--twins must be positive.");
            }
            var folder = parse.GetValue(models) ?? DefaultModelsFolder();
            if (folder is null || !Directory.Exists(folder))
            {
                Console.Error.WriteLine($"doppel: models folder '{folder ?? "building-rec-v3"}' not found; pass --models.");
                return Task.FromResult(ExitCodes.Usage);
            }
            var generator = RecGraphGenerator.Load(folder);
            if (!generator.IsSuccess)
            {
                return Task.FromResult(DoppelClient.Fail(generator.Error!));
            }
            var path = Path.GetFullPath(parse.GetValue(output)!);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var stream = new BufferedStream(File.Create(path), 1 << 16);
            var (count, relationships) = generator.Value!.Write(stream, parse.GetValue(twins), parse.GetValue(seed));
            Console.WriteLine($"Wrote {path}: {count:N0} twins, {relationships:N0} relationships (models from {folder}).");
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    /// <summary>../shared/data/dtdl/building-rec-v3 from the current folder or any parent, else the repository's test subset.</summary>
    public static string? DefaultModelsFolder()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var shared = Path.Combine(dir.FullName, "shared", "data", "dtdl", "building-rec-v3");
                if (Directory.Exists(shared))
                {
                    return shared;
                }
                var subset = Path.Combine(dir.FullName, "tests", "Doppel.Tests", "Data", "dtdl", "rec-v3-subset");
                if (Directory.Exists(subset))
                {
                    // Keep walking for the full set, but remember the fallback.
                    return FindUp(dir.Parent, Path.Combine("shared", "data", "dtdl", "building-rec-v3")) ?? subset;
                }
            }
        }
        return null;
    }

    private static string? FindUp(DirectoryInfo? dir, string relative)
    {
        for (; dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}
