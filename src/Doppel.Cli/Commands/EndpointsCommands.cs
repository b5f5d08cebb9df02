using System.CommandLine;
using System.Text.Json.Nodes;
using Doppel.Cli.Invocation;
using Doppel.Cli.Output;

namespace Doppel.Cli.Commands;

/// <summary>doppel endpoints: the webhooks and MQTT topics event routes deliver to, their stats and dead letters.</summary>
internal static class EndpointsCommands
{
    public static Command Create() => new("endpoints", "Manage the webhooks and MQTT topics that event routes deliver to.")
    {
        List(),
        Put(),
        Show(),
        Delete(),
        DeadLetters(),
    };

    private static Argument<string> Name() => new("name") { Description = "The endpoint's name." };

    private static Command List()
    {
        var server = ClientOptions.Server();
        var command = new Command("list", "List endpoints with their delivery stats.") { server };
        var output = OutputOptions.For(command);
        command.SetAction(async (parse, ct) =>
        {
            using var client = new DoppelClient(parse.GetValue(server)!);
            var endpoints = await client.ListAllAsync("doppel/endpoints", ct);
            if (!endpoints.IsSuccess)
            {
                return DoppelClient.Fail(endpoints.Error);
            }
            var rows = endpoints.Value.Select(e => (JsonNode?)new JsonObject
            {
                ["name"] = e?["name"]?.DeepClone(),
                ["type"] = e?["type"]?.DeepClone(),
                ["target"] = (e?["url"] ?? e?["topic"])?.DeepClone(),
                ["stats"] = e?["stats"]?.DeepClone(),
            }).ToList();
            var format = output.Read(parse);
            return Rows.Print(format.Json ? endpoints.Value : rows,
                ["name", "type", "target", Stat("delivered"), Stat("failed"), Stat("deadLettered"), Stat("queueDepth")], format, "endpoint");
        });
        return command;
    }

    private static Command Put()
    {
        var name = Name();
        var webhook = new Option<string?>("--webhook") { Description = "Deliver by HTTP POST to this URL (https:// or http://)." };
        var mqtt = new Option<string?>("--mqtt") { Description = "Publish to this MQTT topic; placeholders {twinId}, {type}, {routeId}, {endpoint}." };
        var headers = new Option<string[]>("--header") { Description = "A webhook header as Name=Value (repeatable).", AllowMultipleArgumentsPerToken = true };
        var qos = new Option<int?>("--qos") { Description = "MQTT QoS, 0 or 1 (default 1)." };
        var retain = new Option<bool>("--retain") { Description = "Publish MQTT messages as retained." };
        var maxAttempts = new Option<int?>("--max-attempts") { Description = "Attempts per event before it is dead-lettered (default 10)." };
        var initialBackoff = new Option<string?>("--initial-backoff") { Description = "Wait after the first failure, ISO 8601 (default PT1S); doubles per failure." };
        var maxBackoff = new Option<string?>("--max-backoff") { Description = "Longest wait between attempts, ISO 8601 (default PT1M)." };
        var server = ClientOptions.Server();
        var command = new Command("put", "Create or replace an endpoint.") { name, webhook, mqtt, headers, qos, retain, maxAttempts, initialBackoff, maxBackoff, server };
        command.SetAction(async (parse, ct) =>
        {
            var (url, topic) = (parse.GetValue(webhook), parse.GetValue(mqtt));
            if ((url is null) == (topic is null))
            {
                throw CommandFailure.Usage("give exactly one of --webhook URL or --mqtt TOPIC.");
            }
            var body = new JsonObject { ["type"] = url is not null ? "webhook" : "mqtt" };
            if (url is not null)
            {
                body["url"] = url;
                var values = new JsonObject();
                foreach (var header in parse.GetValue(headers) ?? [])
                {
                    var parts = header.Split('=', 2);
                    if (parts.Length != 2)
                    {
                        // Not echoed: a mistyped header ("Authorization: Bearer ...") is usually a secret.
                        throw CommandFailure.Usage("each --header must be Name=Value; one has no '='.");
                    }
                    values[parts[0].Trim()] = parts[1];
                }
                body["headers"] = values;
            }
            else
            {
                body["topic"] = topic;
                body["qos"] = parse.GetValue(qos) ?? 1;
                body["retain"] = parse.GetValue(retain);
            }
            if (parse.GetValue(maxAttempts) is { } attempts)
            {
                body["maxAttempts"] = attempts;
            }
            if (parse.GetValue(initialBackoff) is { } initial)
            {
                body["initialBackoff"] = initial;
            }
            if (parse.GetValue(maxBackoff) is { } max)
            {
                body["maxBackoff"] = max;
            }
            using var client = new DoppelClient(parse.GetValue(server)!);
            var (status, response) = await client.SendAsync(HttpMethod.Put, Path(parse.GetValue(name)!), body.ToJsonString(), ct: ct);
            if (status is not (200 or 201))
            {
                return DoppelClient.Fail(DoppelClient.Error(status, response));
            }
            return Rows.PrintJson(response);
        });
        return command;
    }

    private static Command Show()
    {
        var name = Name();
        var server = ClientOptions.Server();
        var command = new Command("show", "Print an endpoint with its delivery stats as JSON.") { name, server };
        command.SetAction(async (parse, ct) =>
        {
            using var client = new DoppelClient(parse.GetValue(server)!);
            var (status, response) = await client.SendAsync(HttpMethod.Get, Path(parse.GetValue(name)!), ct: ct);
            if (status != 200)
            {
                return DoppelClient.Fail(DoppelClient.Error(status, response));
            }
            return Rows.PrintJson(response);
        });
        return command;
    }

    private static Command Delete()
    {
        var name = Name();
        var server = ClientOptions.Server();
        var command = new Command("delete", "Delete an endpoint and its dead letters (refused while routes use it).") { name, server };
        command.SetAction(async (parse, ct) =>
        {
            using var client = new DoppelClient(parse.GetValue(server)!);
            var (status, response) = await client.SendAsync(HttpMethod.Delete, Path(parse.GetValue(name)!), ct: ct);
            return status == 204 ? ExitCodes.Ok : DoppelClient.Fail(DoppelClient.Error(status, response));
        });
        return command;
    }

    private static Command DeadLetters()
    {
        var name = Name();
        var server = ClientOptions.Server();
        var command = new Command("deadletters", "List the events an endpoint gave up on, oldest first, with the reason.") { name, server };
        var output = OutputOptions.For(command);
        command.SetAction(async (parse, ct) =>
        {
            using var client = new DoppelClient(parse.GetValue(server)!);
            var letters = await client.ListAllAsync(Path(parse.GetValue(name)!) + "/deadletters", ct);
            if (!letters.IsSuccess)
            {
                return DoppelClient.Fail(letters.Error);
            }
            return Rows.Print(letters.Value,
                [Column.Time("time"), "reason", "attempts", Column.At("type", "event", "type"), Column.At("subject", "event", "subject"), "lastError"], output.Read(parse), "dead letter");
        });
        return command;
    }

    private static string Path(string name) => "doppel/endpoints/" + Uri.EscapeDataString(name);

    private static Column Stat(string name) => Column.At(name, "stats", name);
}
