using System.CommandLine;
using Doppel.Cli.Output;

namespace Doppel.Cli.Commands;

/// <summary>doppel samples: the sample worlds a server's packs ship, loaded with one command.</summary>
internal static class SamplesCommands
{
    public static Command Create() => new("samples", "List the sample worlds the server's packs ship, and load one (models, twins, relationships).")
    {
        List(),
        Load(),
    };

    private static Command List()
    {
        var server = ClientOptions.Server();
        var command = new Command("list", "List the samples the server's packs ship.") { server };
        var output = OutputOptions.For(command);
        command.SetAction(async (parse, ct) =>
        {
            using var client = new DoppelClient(parse.GetValue(server)!);
            var samples = await client.ListAllAsync("doppel/samples", ct);
            if (!samples.IsSuccess)
            {
                return DoppelClient.Fail(samples.Error);
            }
            return Rows.Print(samples.Value, [Column.At("sample", "name"), "pack", "description"], output.Read(parse), "sample");
        });
        return command;
    }

    private static Command Load()
    {
        var name = new Argument<string>("sample") { Description = "The sample's name (doppel samples list)." };
        var server = ClientOptions.Server();
        var json = ClientOptions.Json();
        var command = new Command("load", "Load a sample into the server: its models, twins and relationships; what exists already is left as it is.") { name, server, json };
        command.SetAction(async (parse, ct) =>
        {
            using var client = new DoppelClient(parse.GetValue(server)!);
            var (status, body) = await client.SendAsync(HttpMethod.Post, $"doppel/samples/{Uri.EscapeDataString(parse.GetValue(name)!)}/load", ct: ct);
            if (status != 200)
            {
                return DoppelClient.Fail(DoppelClient.Error(status, body));
            }
            if (parse.GetValue(json))
            {
                return Rows.PrintJson(body);
            }
            Console.WriteLine($"Loaded sample '{body!["sample"]}': {CellText.Count(body["models"]!["loaded"]!.AsArray().Count, "model")} ({body["models"]!["existing"]!.AsArray().Count} there already), "
                + $"{CellText.Count((long)body["twins"]!["created"]!, "twin")} ({body["twins"]!["existing"]} there already), {CellText.Count((long)body["relationships"]!["created"]!, "relationship")} ({body["relationships"]!["existing"]} there already).");
            return ExitCodes.Ok;
        });
        return command;
    }
}
