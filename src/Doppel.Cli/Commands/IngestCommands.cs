using System.CommandLine;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Doppel.Cli.Input;
using Doppel.Cli.Output;

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
        var from = TimeInput.Option("--from", "Arrived at or after this time:");
        var to = TimeInput.Option("--to", "Arrived before this time:");
        var top = new Option<int>("--top") { Description = "At most this many, newest first.", DefaultValueFactory = _ => 50 };
        var server = ClientOptions.Server();
        var list = new Command("list", "Print the messages that could not be ingested, newest first, with the reason.") { reason, twin, source, from, to, top, server };
        var output = OutputOptions.For(list);
        list.SetAction(async (parse, ct) =>
        {
            using var client = new DoppelClient(parse.GetValue(server)!);
            var path = "doppel/deadletters" + Rows.Query(("reason", parse.GetValue(reason)), ("twinId", parse.GetValue(twin)), ("source", parse.GetValue(source)),
                ("from", TimeInput.Format(parse.GetValue(from))), ("to", TimeInput.Format(parse.GetValue(to))));
            var (status, body) = await client.SendAsync(HttpMethod.Get, path, ct: ct);
            if (status != 200)
            {
                return DoppelClient.Fail(DoppelClient.Error(status, body));
            }
            var letters = body!["value"]!.AsArray().Take(Math.Max(parse.GetValue(top), 0)).ToList();
            var format = output.Read(parse);
            if (!format.Json)
            {
                var total = (long?)body["total"] ?? letters.Count;
                Console.WriteLine($"{CellText.Count(total, "dead letter")} {(total == 1 ? "matches" : "match")}.");
            }
            return Rows.Print(letters, [Column.Time("time"), "reason", "source", "topic", "twinId", "message"], format, "dead letter");
        });
        var command = new Command("deadletters", "Inspect device messages that could not be ingested.");
        command.Subcommands.Add(list);
        return command;
    }

    /// <summary>doppel history backfill: streams an NDJSON file to POST /doppel/ingest.</summary>
    public static Command Backfill()
    {
        var file = new Argument<string>("file")
        {
            Description = "NDJSON, one message per line: {\"twinId\", \"values\": {...}, \"time\"?, \"messageId\"?, \"kind\"?, \"component\"?}; - reads standard input.",
        }.Reads(InputKind.NdjsonFile);
        var server = ClientOptions.Server();
        var json = ClientOptions.Json();
        var command = new Command("backfill", "Load past telemetry or reported properties from an NDJSON file into history (and live state where newer).") { file, server, json };
        command.SetAction(async (parse, ct) =>
        {
            var input = parse.GetValue(file)!;
            var name = input == "-" ? "stdin" : input;
            if (input != "-")
            {
                DocumentText.RequireFile(input, "file");
            }
            using var client = new DoppelClient(parse.GetValue(server)!);
            await using var stream = input == "-" ? Console.OpenStandardInput() : File.OpenRead(input);
            using var request = new HttpRequestMessage(HttpMethod.Post, "doppel/ingest") { Content = new StreamContent(stream) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
            var (status, body) = await client.SendAsync(request, ct);
            if (status is < 200 or > 299)
            {
                return DoppelClient.Fail(DoppelClient.Error(status, body));
            }
            if (parse.GetValue(json))
            {
                Rows.PrintJson(body);
            }
            else
            {
                Console.WriteLine($"{CellText.Count((long)body!["lines"]!, "line")}: {body["stored"]} stored, {CellText.Count((long)body["duplicates"]!, "duplicate")}, {body["deadLettered"]} dead-lettered.");
            }
            // Each refused line, where it is in the file (file:line: reason), as a compiler reports errors.
            foreach (var error in body!["errors"]!.AsArray())
            {
                Console.Error.WriteLine($"doppel: {name}:{error!["line"]}: {error["reason"]}: {error["message"]}");
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
        var command = new Command("live", "Print a twin's newest telemetry values and when they were measured.") { twin, server };
        var output = OutputOptions.For(command);
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
            return Rows.Print(rows, ["name", "value", Column.Time("sourceTime")], output.Read(parse), "value");
        });
        return command;
    }

    private static Command ListMappings()
    {
        var server = ClientOptions.Server();
        var command = new Command("list", "List the mappings in force.") { server };
        var output = OutputOptions.For(command);
        command.SetAction(async (parse, ct) =>
        {
            using var client = new DoppelClient(parse.GetValue(server)!);
            var mappings = await client.ListAllAsync("doppel/mappings", ct);
            return mappings.IsSuccess ? Rows.Print(mappings.Value, ["id", "topic", "twinId", "kind"], output.Read(parse), "mapping") : DoppelClient.Fail(mappings.Error);
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
            return Rows.PrintJson(body);
        });
        return command;
    }

    private static Command PutMapping()
    {
        var id = new Argument<string>("id") { Description = "The mapping's id." };
        var file = new Argument<string>("file") { Description = "The definition, JSON or YAML (by extension .json, .yaml or .yml, else by content), or - for standard input." }.Reads(InputKind.JsonOrYamlFile);
        var server = ClientOptions.Server();
        var command = new Command("put", "Create or replace a mapping from a JSON or YAML file.") { id, file, server };
        command.SetAction(async (parse, ct) =>
        {
            // Syntax is checked here, where the file's line and column can be named; the server checks the meaning.
            var document = DocumentText.ReadJsonOrYaml(parse.GetValue(file)!, "file");
            using var client = new DoppelClient(parse.GetValue(server)!);
            var (status, body) = await client.SendAsync(HttpMethod.Put, $"doppel/mappings/{Uri.EscapeDataString(parse.GetValue(id)!)}",
                document.Text, document.IsJson ? "application/json" : "application/yaml", ct);
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
