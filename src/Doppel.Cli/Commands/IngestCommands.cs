using System.CommandLine;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Doppel.Cli.Commands;

/// <summary>doppel mappings, doppel deadletters and doppel history backfill/live: the device side of a server.</summary>
internal static class IngestCommands
{
    public static Command Mappings()
    {
        var command = new Command("mappings", "Manage ingest mappings: which MQTT topics and payload fields feed which twins.");
        command.Subcommands.Add(ListMappings());
        command.Subcommands.Add(ShowMapping());
        command.Subcommands.Add(PutMapping());
        command.Subcommands.Add(DeleteMapping());
        return command;
    }

    public static Command DeadLetters()
    {
        var reason = new Option<string?>("--reason") { Description = "Only this reason: MalformedJson, UnknownTwin, ValidationFailed, PayloadTooLarge, UnmappedTopic, MappingFailed, UnitMismatch, FutureTimestamp." };
        var twin = new Option<string?>("--twin") { Description = "Only messages meant for this twin." };
        var source = new Option<string?>("--source") { Description = "Only messages that came this way: mqtt, bridge or http." };
        var from = new Option<string?>("--from") { Description = "Arrived at or after (RFC 3339)." };
        var to = new Option<string?>("--to") { Description = "Arrived before (RFC 3339)." };
        var top = new Option<int>("--top") { Description = "At most this many, newest first.", DefaultValueFactory = _ => 50 };
        var server = ClientOptions.Server();
        var json = ClientOptions.Json();
        var list = new Command("list", "Print the messages that could not be ingested, newest first, with the reason.") { reason, twin, source, from, to, top, server, json };
        list.SetAction(async (parse, ct) =>
        {
            using var client = new DoppelClient(parse.GetValue(server)!);
            var path = "doppel/deadletters" + Rows.Query(("reason", parse.GetValue(reason)), ("twinId", parse.GetValue(twin)), ("source", parse.GetValue(source)),
                ("from", parse.GetValue(from)), ("to", parse.GetValue(to)));
            var (status, body) = await client.SendAsync(HttpMethod.Get, path, ct: ct);
            if (status != 200)
            {
                return DoppelClient.Fail(DoppelClient.Error(status, body));
            }
            var letters = body!["value"]!.AsArray().Take(Math.Max(parse.GetValue(top), 0)).ToList();
            if (!parse.GetValue(json))
            {
                Console.WriteLine($"{body["total"]} dead letters match.");
            }
            return Rows.Print(letters, ["time", "reason", "source", "topic", "twinId", "message"], parse.GetValue(json));
        });
        var command = new Command("deadletters", "Inspect device messages that could not be ingested.");
        command.Subcommands.Add(list);
        return command;
    }

    /// <summary>doppel history backfill: streams an NDJSON file to POST /doppel/ingest.</summary>
    public static Command Backfill()
    {
        var file = new Argument<FileInfo>("file") { Description = "NDJSON, one message per line: {\"twinId\", \"values\": {...}, \"time\"?, \"messageId\"?, \"kind\"?, \"component\"?}." };
        var server = ClientOptions.Server();
        var json = ClientOptions.Json();
        var command = new Command("backfill", "Load past telemetry or reported properties from an NDJSON file into history (and live state where newer).") { file, server, json };
        command.SetAction(async (parse, ct) =>
        {
            var input = parse.GetValue(file)!;
            if (!input.Exists)
            {
                Console.Error.WriteLine($"doppel: {input.FullName} does not exist.");
                return ExitCodes.Usage;
            }
            using var http = new HttpClient { BaseAddress = new Uri(parse.GetValue(server)!), Timeout = Timeout.InfiniteTimeSpan };
            await using var stream = input.OpenRead();
            using var content = new StreamContent(stream);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
            using var response = await http.PostAsync("doppel/ingest", content, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            var body = text.Length > 0 ? JsonNode.Parse(text) : null;
            if (!response.IsSuccessStatusCode)
            {
                return DoppelClient.Fail(DoppelClient.Error((int)response.StatusCode, body));
            }
            if (parse.GetValue(json))
            {
                Console.WriteLine(body!.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            }
            else
            {
                Console.WriteLine($"{body!["lines"]} lines: {body["stored"]} stored, {body["duplicates"]} duplicates, {body["deadLettered"]} dead-lettered.");
                foreach (var error in body["errors"]!.AsArray())
                {
                    Console.WriteLine($"  line {error!["line"]}: {error["reason"]}: {error["message"]}");
                }
            }
            return (long)body["deadLettered"]! > 0 ? ExitCodes.Failed : ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>doppel history live: a twin's newest telemetry values.</summary>
    public static Command Live()
    {
        var twin = new Argument<string>("twin") { Description = "The twin's id." };
        var server = ClientOptions.Server();
        var json = ClientOptions.Json();
        var command = new Command("live", "Print a twin's newest telemetry values and when they were measured.") { twin, server, json };
        command.SetAction(async (parse, ct) =>
        {
            using var client = new DoppelClient(parse.GetValue(server)!);
            var (status, body) = await client.SendAsync(HttpMethod.Get, $"doppel/twins/{Uri.EscapeDataString(parse.GetValue(twin)!)}/live", ct: ct);
            if (status != 200)
            {
                return DoppelClient.Fail(DoppelClient.Error(status, body));
            }
            var rows = body!["telemetry"]!.AsObject().Select(p => (JsonNode?)new JsonObject
            {
                ["name"] = p.Key,
                ["value"] = p.Value!["value"]?.DeepClone(),
                ["sourceTime"] = p.Value["sourceTime"]?.DeepClone(),
            }).ToList();
            return Rows.Print(rows, ["name", "value", "sourceTime"], parse.GetValue(json));
        });
        return command;
    }

    private static Command ListMappings()
    {
        var server = ClientOptions.Server();
        var json = ClientOptions.Json();
        var command = new Command("list", "List the mappings in force.") { server, json };
        command.SetAction(async (parse, ct) =>
        {
            using var client = new DoppelClient(parse.GetValue(server)!);
            var mappings = await client.ListAllAsync("doppel/mappings", ct);
            return mappings.IsSuccess ? Rows.Print(mappings.Value, ["id", "topic", "twinId", "kind"], parse.GetValue(json)) : DoppelClient.Fail(mappings.Error);
        });
        return command;
    }

    private static Command ShowMapping()
    {
        var id = new Argument<string>("id") { Description = "The mapping's id." };
        var server = ClientOptions.Server();
        var command = new Command("show", "Print one mapping as JSON.") { id, server };
        command.SetAction(async (parse, ct) =>
        {
            using var client = new DoppelClient(parse.GetValue(server)!);
            var (status, body) = await client.SendAsync(HttpMethod.Get, $"doppel/mappings/{Uri.EscapeDataString(parse.GetValue(id)!)}", ct: ct);
            if (status != 200)
            {
                return DoppelClient.Fail(DoppelClient.Error(status, body));
            }
            Console.WriteLine(body!.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command PutMapping()
    {
        var id = new Argument<string>("id") { Description = "The mapping's id." };
        var file = new Argument<FileInfo>("file") { Description = "The definition, JSON or YAML (by extension .yaml/.yml)." };
        var server = ClientOptions.Server();
        var command = new Command("put", "Create or replace a mapping from a JSON or YAML file.") { id, file, server };
        command.SetAction(async (parse, ct) =>
        {
            var input = parse.GetValue(file)!;
            if (!input.Exists)
            {
                Console.Error.WriteLine($"doppel: {input.FullName} does not exist.");
                return ExitCodes.Usage;
            }
            var yaml = input.Extension is ".yaml" or ".yml";
            using var client = new DoppelClient(parse.GetValue(server)!);
            var (status, body) = await client.SendAsync(HttpMethod.Put, $"doppel/mappings/{Uri.EscapeDataString(parse.GetValue(id)!)}",
                await File.ReadAllTextAsync(input.FullName, ct), yaml ? "application/yaml" : "application/json", ct);
            if (status != 200)
            {
                return DoppelClient.Fail(DoppelClient.Error(status, body));
            }
            Console.WriteLine($"Mapping '{body!["id"]}' is in force for topic {body["topic"]}.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command DeleteMapping()
    {
        var id = new Argument<string>("id") { Description = "The mapping's id." };
        var server = ClientOptions.Server();
        var command = new Command("delete", "Delete a mapping.") { id, server };
        command.SetAction(async (parse, ct) =>
        {
            using var client = new DoppelClient(parse.GetValue(server)!);
            var (status, body) = await client.SendAsync(HttpMethod.Delete, $"doppel/mappings/{Uri.EscapeDataString(parse.GetValue(id)!)}", ct: ct);
            if (status != 204)
            {
                return DoppelClient.Fail(DoppelClient.Error(status, body));
            }
            Console.WriteLine($"Deleted mapping '{parse.GetValue(id)}'.");
            return ExitCodes.Ok;
        });
        return command;
    }
}
