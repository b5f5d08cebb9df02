using System.CommandLine;
using System.Text.Json.Nodes;
using Doppel.Cli.Output;

namespace Doppel.Cli.Commands;

/// <summary>doppel routes: ADT event routes (/eventroutes), which send events matching a filter to an endpoint.</summary>
internal static class RoutesCommands
{
    public static Command Create() => new("routes", "Manage event routes: which events (by ADT filter) go to which endpoint.")
    {
        List(),
        Put(),
        Delete(),
    };

    private static Command List()
    {
        var server = ClientOptions.Server();
        var command = new Command("list", "List event routes.") { server };
        var output = OutputOptions.For(command);
        command.SetAction(async (parse, ct) =>
        {
            using var client = new DoppelClient(parse.GetValue(server)!);
            var routes = await client.ListAllAsync("eventroutes", ct);
            return routes.IsSuccess ? Rows.Print(routes.Value, ["id", "endpointName", "filter"], output.Read(parse), "route") : DoppelClient.Fail(routes.Error);
        });
        return command;
    }

    private static Command Put()
    {
        var id = new Argument<string>("id") { Description = "The route's id." };
        var endpoint = new Option<string>("--endpoint") { Description = "The endpoint to deliver to (see 'doppel endpoints').", Required = true };
        var filter = new Option<string>("--filter")
        {
            Description = "ADT filter, e.g. \"type = 'Microsoft.DigitalTwins.Twin.Update'\" (default: true, every event).",
            DefaultValueFactory = _ => "true",
        };
        var server = ClientOptions.Server();
        var command = new Command("put", "Create or replace an event route.") { id, endpoint, filter, server };
        command.SetAction(async (parse, ct) =>
        {
            using var client = new DoppelClient(parse.GetValue(server)!);
            var body = new JsonObject { ["endpointName"] = parse.GetValue(endpoint), ["filter"] = parse.GetValue(filter) };
            var (status, response) = await client.SendAsync(HttpMethod.Put, "eventroutes/" + Uri.EscapeDataString(parse.GetValue(id)!), body.ToJsonString(), ct: ct);
            return status == 204 ? ExitCodes.Ok : DoppelClient.Fail(DoppelClient.Error(status, response));
        });
        return command;
    }

    private static Command Delete()
    {
        var id = new Argument<string>("id") { Description = "The route's id." };
        var server = ClientOptions.Server();
        var command = new Command("delete", "Delete an event route.") { id, server };
        command.SetAction(async (parse, ct) =>
        {
            using var client = new DoppelClient(parse.GetValue(server)!);
            var (status, response) = await client.SendAsync(HttpMethod.Delete, "eventroutes/" + Uri.EscapeDataString(parse.GetValue(id)!), ct: ct);
            return status == 204 ? ExitCodes.Ok : DoppelClient.Fail(DoppelClient.Error(status, response));
        });
        return command;
    }
}
