using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.Packs;

namespace Doppel.Cli.Commands;

/// <summary>doppel packs: the packs a server (or this program) runs with, and their models.</summary>
internal static class PacksCommands
{
    public static Command Create(PackCatalog packs) => new("packs", "List the packs a server runs with (or this program's), and list or load a pack's DTDL models.")
    {
        List(packs),
        Models(),
    };

    private static Command List(PackCatalog packs)
    {
        var server = ClientOptions.Server();
        var json = ClientOptions.Json();
        var local = new Option<bool>("--local") { Description = "List the packs this program found (beside it and in DOPPEL_PACKS) instead of the server's." };
        var command = new Command("list", "List packs: what each registers (models, scenario and experiment kinds, samples, demos, verbs).") { server, json, local };
        command.SetAction(async (parse, ct) =>
        {
            List<JsonNode?> items;
            if (parse.GetValue(local))
            {
                items = [.. packs.Packs.Select(p => (JsonNode?)p.Describe())];
                foreach (var problem in packs.Problems)
                {
                    Console.Error.WriteLine($"doppel: {problem}");
                }
            }
            else
            {
                using var client = new DoppelClient(parse.GetValue(server)!);
                var listed = await client.ListAllAsync("doppel/packs", ct);
                if (!listed.IsSuccess)
                {
                    return DoppelClient.Fail(listed.Error);
                }
                items = listed.Value;
            }
            if (parse.GetValue(json))
            {
                Console.WriteLine(new JsonArray([.. items.Select(i => i?.DeepClone())]).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
                return ExitCodes.Ok;
            }
            Table.Print(["pack", "models", "scenario kinds", "experiment kinds", "samples", "demos", "verbs"], items.OfType<JsonObject>().Select(p => new[]
            {
                (string?)p["name"] ?? "", $"{p["models"]?.AsArray().Count ?? 0}", Names(p["scenarioKinds"]), Names(p["experimentKinds"]), Names(p["samples"]), Names(p["demos"]), Names(p["verbs"]),
            }));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Models()
    {
        var name = new Argument<string>("pack") { Description = "The pack's name." };
        var load = new Option<bool>("--load") { Description = "Load the pack's models into the server (those it does not have yet)." };
        var server = ClientOptions.Server();
        var json = ClientOptions.Json();
        var command = new Command("models", "List a pack's DTDL models, or load them into the server with --load.") { name, load, server, json };
        command.SetAction(async (parse, ct) =>
        {
            using var client = new DoppelClient(parse.GetValue(server)!);
            var path = $"doppel/packs/{Uri.EscapeDataString(parse.GetValue(name)!)}/models";
            if (parse.GetValue(load))
            {
                var (status, body) = await client.SendAsync(HttpMethod.Post, path, ct: ct);
                if (status != 200)
                {
                    return DoppelClient.Fail(DoppelClient.Error(status, body));
                }
                if (parse.GetValue(json))
                {
                    Console.WriteLine(body!.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
                    return ExitCodes.Ok;
                }
                Console.WriteLine($"Loaded {body!["loaded"]!.AsArray().Count} models; {body["existing"]!.AsArray().Count} were there already.");
                return ExitCodes.Ok;
            }
            var models = await client.ListAllAsync(path, ct);
            if (!models.IsSuccess)
            {
                return DoppelClient.Fail(models.Error);
            }
            if (parse.GetValue(json))
            {
                Console.WriteLine(new JsonArray([.. models.Value.Select(m => m?.DeepClone())]).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
                return ExitCodes.Ok;
            }
            Table.Print(["id", "name"], models.Value.OfType<JsonObject>().Select(m => new[] { (string?)m["@id"] ?? "", DisplayName(m["displayName"]) }));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Names(JsonNode? list) => string.Join(", ", list?.AsArray().Select(i => (string?)i?["name"]) ?? []);

    // A display name is a text, or texts by language.
    private static string DisplayName(JsonNode? name) => name switch
    {
        JsonValue value => value.ToString(),
        JsonObject languages => (string?)languages["en"] ?? languages.FirstOrDefault().Value?.ToString() ?? "",
        _ => "",
    };
}
