using System.CommandLine;
using System.Text.Json.Nodes;
using Doppel.Cli.Output;
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
        var local = new Option<bool>("--local") { Description = "List the packs this program found (beside it and in DOPPEL_PACKS) instead of the server's; those left out were reported when it started." };
        var command = new Command("list", "List packs: what each registers (models, scenario and experiment kinds, samples, demos, verbs, benchmarks).") { server, local };
        var output = OutputOptions.For(command);
        command.SetAction(async (parse, ct) =>
        {
            List<JsonNode?> items;
            if (parse.GetValue(local))
            {
                items = [.. packs.Packs.Select(p => (JsonNode?)p.Describe())];
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
            var format = output.Read(parse);
            var rows = format.Json ? items : [.. items.Select(p => (JsonNode?)new JsonObject
            {
                ["pack"] = p?["name"]?.DeepClone(),
                ["models"] = p?["models"]?.AsArray().Count ?? 0,
                ["scenario kinds"] = Names(p?["scenarioKinds"]),
                ["experiment kinds"] = Names(p?["experimentKinds"]),
                ["samples"] = Names(p?["samples"]),
                ["demos"] = Names(p?["demos"]),
                ["verbs"] = Names(p?["verbs"]),
                ["benchmarks"] = Names(p?["benchmarks"]),
            })];
            return Rows.Print(rows, ["pack", "models", "scenario kinds", "experiment kinds", "samples", "demos", "verbs", "benchmarks"], format, "pack");
        });
        return command;
    }

    private static Command Models()
    {
        var name = new Argument<string>("pack") { Description = "The pack's name." };
        var load = new Option<bool>("--load") { Description = "Load the pack's models into the server (those it does not have yet)." };
        var server = ClientOptions.Server();
        var command = new Command("models", "List a pack's DTDL models, or load them into the server with --load.") { name, load, server };
        var output = OutputOptions.For(command);
        command.SetAction(async (parse, ct) =>
        {
            using var client = new DoppelClient(parse.GetValue(server)!);
            var path = $"doppel/packs/{Uri.EscapeDataString(parse.GetValue(name)!)}/models";
            var format = output.Read(parse);
            if (parse.GetValue(load))
            {
                var (status, body) = await client.SendAsync(HttpMethod.Post, path, ct: ct);
                if (status != 200)
                {
                    return DoppelClient.Fail(DoppelClient.Error(status, body));
                }
                if (format.Json)
                {
                    return Rows.PrintJson(body);
                }
                var (loaded, existing) = (body!["loaded"]!.AsArray().Count, body["existing"]!.AsArray().Count);
                Console.WriteLine($"Loaded {CellText.Count(loaded, "model")}; {existing} {(existing == 1 ? "was" : "were")} there already.");
                return ExitCodes.Ok;
            }
            var models = await client.ListAllAsync(path, ct);
            if (!models.IsSuccess)
            {
                return DoppelClient.Fail(models.Error);
            }
            var rows = format.Json ? models.Value : [.. models.Value.Select(m => (JsonNode?)new JsonObject
            {
                ["id"] = m?["@id"]?.DeepClone(),
                ["name"] = DisplayName(m?["displayName"]),
            })];
            return Rows.Print(rows, ["id", "name"], format, "model");
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
