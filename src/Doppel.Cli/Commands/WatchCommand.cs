using System.CommandLine;
using System.Net.ServerSentEvents;
using System.Text.Json.Nodes;

namespace Doppel.Cli.Commands;

/// <summary>doppel watch: prints a server's live events (Server-Sent Events from /doppel/streams/events) as they happen.</summary>
internal static class WatchCommand
{
    public static Command Create()
    {
        var twins = new Option<string[]>("--twin") { Description = "Only events of these twins (repeatable).", AllowMultipleArgumentsPerToken = true };
        var model = new Option<string?>("--model") { Description = "Only twins of this model or a model that extends it, e.g. dtmi:example:Room;1." };
        var types = new Option<string[]>("--type") { Description = "Only these event types (repeatable): twin, relationship, telemetry, lifecycle, alert, or a CloudEvents type such as Microsoft.DigitalTwins.Twin.Update.", AllowMultipleArgumentsPerToken = true };
        var where = new Option<string?>("--where") { Description = "Only twins for which this query condition holds when the event happens, e.g. \"T.temperature > 50\"." };
        var count = new Option<int?>("--count") { Description = "Stop after this many events (default: run until Ctrl+C)." };
        count.Validators.Add(r => { if (r.GetValueOrDefault<int?>() is < 1) { r.AddError("--count must be at least 1."); } });
        var server = ClientOptions.Server();
        var json = new Option<bool>("--json") { Description = "Print each event's CloudEvent JSON on one line." };
        var command = new Command("watch", "Print live twin, relationship and telemetry events until Ctrl+C.") { twins, model, types, where, count, server, json };
        command.SetAction(async (parse, ct) =>
        {
            using var client = new DoppelClient(parse.GetValue(server)!);
            var path = "doppel/streams/events" + Rows.Query(
                ("twinId", Rows.Join(parse.GetValue(twins))),
                ("model", parse.GetValue(model)),
                ("types", Rows.Join(parse.GetValue(types))),
                ("where", parse.GetValue(where)));
            return await WatchAsync(client, path, parse.GetValue(count), parse.GetValue(json), ct);
        });
        return command;
    }

    internal static async Task<int> WatchAsync(DoppelClient client, string path, int? count, bool json, CancellationToken ct)
    {
        using var response = await client.OpenStreamAsync(path, ct);
        if (!response.IsSuccessStatusCode)
        {
            return DoppelClient.Fail(DoppelClient.Error((int)response.StatusCode, await response.Content.ReadAsStringAsync(ct)));
        }
        // The server subscribes before it answers, so from here on every event is seen.
        Console.Error.WriteLine($"doppel: watching {response.RequestMessage?.RequestUri} (Ctrl+C to stop)");
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        var seen = 0;
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(ct))
        {
            switch (item.EventType)
            {
                case "subscribed" or "heartbeat":
                    break;
                case "dropped":
                    PrintDropped(item.Data, json);
                    break;
                default:
                    Console.WriteLine(json ? item.Data : Summary(item.Data));
                    if (++seen == count)
                    {
                        return ExitCodes.Ok;
                    }
                    break;
            }
        }
        Console.Error.WriteLine("doppel: the server closed the stream.");
        return ExitCodes.Failed;
    }

    /// <summary>One line: time, type, subject, and the body as compact JSON.</summary>
    private static string Summary(string cloudEvent)
    {
        var e = JsonNode.Parse(cloudEvent)!;
        return $"{(string?)e["time"]} {(string?)e["type"]} {(string?)e["subject"]} {e["data"]?.ToJsonString() ?? "null"}";
    }

    private static void PrintDropped(string data, bool json)
    {
        var dropped = (long?)JsonNode.Parse(data)?["dropped"] ?? 0;
        if (json)
        {
            Console.WriteLine(new JsonObject { ["type"] = "doppel.stream.dropped", ["dropped"] = dropped }.ToJsonString());
        }
        else
        {
            Console.Error.WriteLine($"doppel: {dropped} events dropped (this watcher fell behind)");
        }
    }
}
