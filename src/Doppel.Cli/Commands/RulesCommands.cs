using System.CommandLine;
using System.Text.Json.Nodes;
using Doppel.Cli.Input;
using Doppel.Cli.Output;

namespace Doppel.Cli.Commands;

/// <summary>doppel rules: alert rules (/doppel/rules), which raise alerts when a condition holds on the twins in their scope, and their backtest over history.</summary>
internal static class RulesCommands
{
    public static Command Create() => new("rules", "Manage alert rules: a scope (model or query), a condition, a severity and a message; backtest them over history.")
    {
        Put(),
        List(),
        Show(),
        Delete(),
        Backtest(),
    };

    private static Command Put()
    {
        var id = new Argument<string>("id") { Description = "The rule's id." };
        var file = new Argument<string>("file") { Description = "The rule, YAML or JSON (by extension .json, .yaml or .yml, else by content), or - for standard input." }.Reads(InputKind.JsonOrYamlFile);
        var server = ClientOptions.Server();
        var command = new Command("put", "Create or replace a rule from a YAML or JSON file.") { id, file, server };
        command.SetAction(async (parse, ct) =>
        {
            // Syntax is checked here, where the file's line and column can be named; the server checks the meaning.
            var document = DocumentText.ReadJsonOrYaml(parse.GetValue(file)!, "file");
            using var client = new DoppelClient(parse.GetValue(server)!);
            var (status, body) = await client.SendAsync(HttpMethod.Put, Path(parse.GetValue(id)!), document.Text, document.IsJson ? "application/json" : "application/yaml", ct);
            if (status is not (200 or 201))
            {
                return DoppelClient.Fail(DoppelClient.Error(status, body));
            }
            Console.WriteLine($"Rule '{body!["id"]}' {(status == 201 ? "created" : "replaced")}: {body["condition"]} ({body["severity"]}).");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List()
    {
        var server = ClientOptions.Server();
        var command = new Command("list", "List the rules.") { server };
        var output = OutputOptions.For(command);
        command.SetAction(async (parse, ct) =>
        {
            using var client = new DoppelClient(parse.GetValue(server)!);
            var rules = await client.ListAllAsync("doppel/rules", ct);
            if (!rules.IsSuccess)
            {
                return DoppelClient.Fail(rules.Error);
            }
            var rows = rules.Value.Select(r => (JsonNode?)new JsonObject
            {
                ["id"] = r!["id"]?.DeepClone(),
                ["severity"] = r["severity"]?.DeepClone(),
                ["scope"] = r["scope"]?["model"]?.DeepClone() ?? r["scope"]?["query"]?.DeepClone(),
                ["condition"] = r["condition"]?.DeepClone(),
                ["for"] = r["for"]?.DeepClone(),
                ["enabled"] = r["enabled"]?.DeepClone(),
            }).ToList();
            return Rows.Print(rows, ["id", "severity", "scope", "condition", "for", "enabled"], output.Read(parse), "rule");
        });
        return command;
    }

    private static Command Show()
    {
        var id = new Argument<string>("id") { Description = "The rule's id." };
        var server = ClientOptions.Server();
        var command = new Command("show", "Print one rule as JSON.") { id, server };
        command.SetAction(async (parse, ct) =>
        {
            using var client = new DoppelClient(parse.GetValue(server)!);
            var (status, body) = await client.SendAsync(HttpMethod.Get, Path(parse.GetValue(id)!), ct: ct);
            return status == 200 ? Rows.PrintJson(body) : DoppelClient.Fail(DoppelClient.Error(status, body));
        });
        return command;
    }

    private static Command Delete()
    {
        var id = new Argument<string>("id") { Description = "The rule's id." };
        var server = ClientOptions.Server();
        var command = new Command("delete", "Delete a rule (its open alerts are resolved).") { id, server };
        command.SetAction(async (parse, ct) =>
        {
            using var client = new DoppelClient(parse.GetValue(server)!);
            var (status, body) = await client.SendAsync(HttpMethod.Delete, Path(parse.GetValue(id)!), ct: ct);
            if (status != 204)
            {
                return DoppelClient.Fail(DoppelClient.Error(status, body));
            }
            Console.WriteLine($"Deleted rule '{parse.GetValue(id)}'.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Backtest()
    {
        var id = new Argument<string>("id") { Description = "The stored rule's id." };
        var from = TimeInput.Option("--from", "Start of the range.");
        from.Required = true;
        var to = TimeInput.Option("--to", "End of the range (default: now).");
        var server = ClientOptions.Server();
        var command = new Command("backtest", "Replay a rule over history: how often, when and on which twins it would have fired.") { id, from, to, server };
        var output = OutputOptions.For(command);
        command.SetAction(async (parse, ct) =>
        {
            using var client = new DoppelClient(parse.GetValue(server)!);
            var body = new JsonObject { ["from"] = TimeInput.Format(parse.GetValue(from)), ["to"] = TimeInput.Format(parse.GetValue(to) ?? DateTimeOffset.UtcNow) };
            var (status, result) = await client.SendAsync(HttpMethod.Post, Path(parse.GetValue(id)!) + "/backtest", body.ToJsonString(), ct: ct);
            if (status != 200)
            {
                return DoppelClient.Fail(DoppelClient.Error(status, result));
            }
            var format = output.Read(parse);
            if (format.Json)
            {
                return Rows.PrintJson(result);
            }
            Console.WriteLine($"{result!["fired"]} alert(s) on {result["byTwin"]!.AsArray().Count} of {result["twins"]} twin(s) in scope, {result["from"]} to {result["to"]}.");
            return Rows.Print([.. result["alerts"]!.AsArray()], ["twinId", Column.Time("raisedTime"), Column.Time("resolvedTime"), "value"], format, "alert");
        });
        return command;
    }

    private static string Path(string id) => "doppel/rules/" + Uri.EscapeDataString(id);
}
