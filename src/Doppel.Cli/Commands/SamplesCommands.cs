using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;

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
        var json = ClientOptions.Json();
        var command = new Command("list", "List the samples the server's packs ship.") { server, json };
        command.SetAction(async (parse, ct) =>
        {
            using var client = new DoppelClient(parse.GetValue(server)!);
            var samples = await client.ListAllAsync("doppel/samples", ct);
            if (!samples.IsSuccess)
            {
                return DoppelClient.Fail(samples.Error);
            }
            if (parse.GetValue(json))
            {
                Console.WriteLine(new JsonArray([.. samples.Value.Select(s => s?.DeepClone())]).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
                return ExitCodes.Ok;
            }
            Table.Print(["sample", "pack", "description"], samples.Value.OfType<JsonObject>().Select(s => new[] { (string?)s["name"] ?? "", (string?)s["pack"] ?? "", (string?)s["description"] ?? "" }));
            return ExitCodes.Ok;
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
                Console.WriteLine(body!.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
                return ExitCodes.Ok;
            }
            Console.WriteLine($"Loaded sample '{body!["sample"]}': {body["models"]!["loaded"]!.AsArray().Count} models ({body["models"]!["existing"]!.AsArray().Count} there already), "
                + $"{body["twins"]!["created"]} twins ({body["twins"]!["existing"]} there already), {body["relationships"]!["created"]} relationships ({body["relationships"]!["existing"]} there already).");
            return ExitCodes.Ok;
        });
        return command;
    }
}
