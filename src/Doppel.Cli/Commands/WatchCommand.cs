using System.CommandLine;
using System.Text.Json.Nodes;

namespace Doppel.Cli.Commands;

/// <summary>doppel watch: prints a server's live events (Server-Sent Events from /doppel/streams/events) as they happen.</summary>
internal static class WatchCommand
{
    public static Command Create()
    {
        var twins = new Option<string[]>("--twin") { Description = "Only events of these twins (repeatable).", AllowMultipleArgumentsPerToken = true };
        var model = new Option<string?>("--model") { Description = "Only twins of this model or a model that extends it, e.g. dtmi:example:Room;1." };
        var types = new Option<string[]>("--type") { Description = "Only these event types (repeatable): twin, relationship, telemetry, lifecycle, or a CloudEvents type such as Microsoft.DigitalTwins.Twin.Update.", AllowMultipleArgumentsPerToken = true };
        var where = new Option<string?>("--where") { Description = "Only twins for which this query condition holds when the event happens, e.g. \"T.temperature > 50\"." };
        var count = new Option<int?>("--count") { Description = "Stop after this many events (default: run until Ctrl+C)." };
        var server = ClientOptions.Server();
        var json = new Option<bool>("--json") { Description = "Print each event's CloudEvent JSON on one line." };
        var command = new Command("watch", "Print live twin, relationship and telemetry events until Ctrl+C.") { twins, model, types, where, count, server, json };
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(count) is < 1)
            {
                Console.Error.WriteLine("doppel: --count must be at least 1.");
                return ExitCodes.Usage;
            }
            using var client = new DoppelClient(parse.GetValue(server)!);
            var path = "doppel/streams/events" + Query(
                ("twinId", Join(parse.GetValue(twins))),
                ("model", parse.GetValue(model)),
                ("types", Join(parse.GetValue(types))),
                ("where", parse.GetValue(where)));
            try
            {
                return await WatchAsync(client, path, parse.GetValue(count), parse.GetValue(json), ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return ExitCodes.Ok; // Ctrl+C is how a watch ends.
            }
        });
        return command;
    }

    private static async Task<int> WatchAsync(DoppelClient client, string path, int? count, bool json, CancellationToken ct)
    {
        using var response = await client.OpenStreamAsync(path, ct);
        if (!response.IsSuccessStatusCode)
        {
            return DoppelClient.Fail(DoppelClient.Error((int)response.StatusCode, await response.Content.ReadAsStringAsync(ct)));
        }
        Console.Error.WriteLine($"doppel: watching {response.RequestMessage?.RequestUri} (Ctrl+C to stop)");
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
        var seen = 0;
        string? type = null;
        string? data = null;
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = line["data: ".Length..];
            }
            else if (line.Length == 0 && type is not null && data is not null)
            {
                if (type == "dropped")
                {
                    PrintDropped(data, json);
                }
                else
                {
                    Console.WriteLine(json ? data : Summary(data));
                    if (++seen == count)
                    {
                        return ExitCodes.Ok;
                    }
                }
                (type, data) = (null, null);
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

    private static string? Join(string[]? values) => values is { Length: > 0 } ? string.Join(',', values) : null;

    private static string Query(params (string Name, string? Value)[] parameters)
    {
        var given = parameters.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return given.Count == 0 ? "" : "?" + string.Join('&', given);
    }
}
