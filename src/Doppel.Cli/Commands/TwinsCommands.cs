using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.Cli.Input;

namespace Doppel.Cli.Commands;

internal static class TwinsCommands
{
    public static Command Create() => new("twins", "Get, create, patch and delete digital twins on a server.")
    {
        Get(),
        CreateTwin(),
        Patch(),
        Delete(),
    };

    private static Command Get()
    {
        var id = new Argument<string>("id") { Description = "The twin's id." };
        var server = ClientOptions.Server();
        var command = new Command("get", "Print a twin as JSON.") { id, server };
        command.SetAction((parse, ct) => Send(parse.GetValue(server)!, HttpMethod.Get, parse.GetValue(id)!, null, 200, ct));
        return command;
    }

    private static Command CreateTwin()
    {
        var id = new Argument<string>("id") { Description = "The twin's id." };
        var model = new Option<string>("--model") { Description = "The twin's model (DTMI).", Required = true };
        var properties = new Option<string?>("--properties")
        {
            Description = "Property values: a JSON object inline, @file.json, or - to read it from standard input.",
            HelpName = "json|@file|-",
        }.Reads(InputKind.JsonObject);
        var server = ClientOptions.Server();
        var command = new Command("create", "Create or replace a twin.") { id, model, properties, server };
        command.SetAction(async (parse, ct) =>
        {
            var body = parse.GetValue(properties) is { } given ? DocumentText.ReadJson(given, "--properties", JsonValueKind.Object).AsObject() : [];
            body["$metadata"] = new JsonObject { ["$model"] = parse.GetValue(model) };
            return await Send(parse.GetValue(server)!, HttpMethod.Put, parse.GetValue(id)!, body.ToJsonString(), 200, ct);
        });
        return command;
    }

    private static Command Patch()
    {
        var id = new Argument<string>("id") { Description = "The twin's id." };
        var patch = new Argument<string>("patch")
        {
            Description = "A JSON Patch array inline, @file.json, or - to read it from standard input.",
            HelpName = "json|@file|-",
        }.Reads(InputKind.JsonArray);
        var server = ClientOptions.Server();
        var command = new Command("patch", "Apply a JSON Patch to a twin.") { id, patch, server };
        command.SetAction(async (parse, ct) =>
        {
            var document = DocumentText.ReadJson(parse.GetValue(patch)!, "patch", JsonValueKind.Array);
            return await Send(parse.GetValue(server)!, HttpMethod.Patch, parse.GetValue(id)!, document.ToJsonString(), 204, ct);
        });
        return command;
    }

    private static Command Delete()
    {
        var id = new Argument<string>("id") { Description = "The twin's id." };
        var server = ClientOptions.Server();
        var command = new Command("delete", "Delete a twin (refused while it has relationships).") { id, server };
        command.SetAction((parse, ct) => Send(parse.GetValue(server)!, HttpMethod.Delete, parse.GetValue(id)!, null, 204, ct));
        return command;
    }

    private static async Task<int> Send(string server, HttpMethod method, string id, string? body, int expected, CancellationToken ct)
    {
        using var client = new DoppelClient(server);
        var contentType = method == HttpMethod.Patch ? "application/json-patch+json" : "application/json";
        var (status, response) = await client.SendAsync(method, "digitaltwins/" + Uri.EscapeDataString(id), body, contentType, ct);
        if (status != expected)
        {
            return DoppelClient.Fail(DoppelClient.Error(status, response));
        }
        return response is null ? ExitCodes.Ok : Rows.PrintJson(response);
    }
}
