using System.CommandLine;
using System.Net.ServerSentEvents;
using System.Text.Json.Nodes;
using Doppel.Cli.Output;

namespace Doppel.Cli.Commands;

/// <summary>doppel runs: the scenario and experiment runs a server keeps (/doppel/runs).</summary>
internal static class RunsCommands
{
    public static Command Create() => new("runs", "List, show, cancel and delete the scenario and experiment runs a server keeps.")
    {
        List(),
        Show(),
        Cancel(),
        Delete(),
    };

    private static Command List()
    {
        var server = ClientOptions.Server();
        var command = new Command("list", "List runs, oldest first.") { server };
        var output = OutputOptions.For(command);
        command.SetAction(async (parse, ct) =>
        {
            using var client = new DoppelClient(parse.GetValue(server)!);
            var runs = await client.ListAllAsync("doppel/runs", ct);
            if (!runs.IsSuccess)
            {
                return DoppelClient.Fail(runs.Error);
            }
            var format = output.Read(parse);
            var rows = format.Json ? runs.Value : [.. runs.Value.Select(r => (JsonNode?)new JsonObject
            {
                ["id"] = r?["id"]?.DeepClone(),
                ["kind"] = r?["kind"]?.DeepClone(),
                ["status"] = r?["status"]?.DeepClone(),
                ["progress"] = Progress(r),
                ["created"] = r?["createdDateTime"]?.DeepClone(),
                ["finished"] = r?["finishedDateTime"]?.DeepClone(),
            })];
            return Rows.Print(rows, ["id", "kind", "status", "progress", Column.Time("created"), Column.Time("finished")], format, "run");
        });
        return command;
    }

    private static Command Show()
    {
        var id = new Argument<string>("id") { Description = "The run's id." };
        var server = ClientOptions.Server();
        var wait = new Option<bool>("--wait") { Description = "Follow a queued or running run, with a progress bar, until it finishes; Ctrl+C stops following (the run goes on)." };
        var command = new Command("show", "Show a run: its status and progress, and its results table once it succeeded.") { id, server, wait };
        var output = OutputOptions.For(command);
        command.SetAction(async (parse, ct) =>
        {
            using var client = new DoppelClient(parse.GetValue(server)!);
            var path = RunPath(parse.GetValue(id)!);
            var format = output.Read(parse);
            var outcome = parse.GetValue(wait)
                ? await FollowAsync(client, path, showProgress: !format.Json && Terminal.ShowsProgress, cancelOnStop: false, ct)
                : await GetAsync(client, path, ct);
            if (!outcome.IsSuccess)
            {
                return DoppelClient.Fail(outcome.Error);
            }
            var run = outcome.Value;
            if (format.Json)
            {
                return Rows.PrintJson(run);
            }
            Console.WriteLine(Summary(run));
            if (run["result"] is JsonObject result)
            {
                SimulateCommand.PrintServerResult(result, format.Wide);
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Cancel()
    {
        var id = new Argument<string>("id") { Description = "The run's id." };
        var server = ClientOptions.Server();
        var command = new Command("cancel", "Cancel a queued or running run; waits until it has stopped.") { id, server };
        command.SetAction(async (parse, ct) =>
        {
            using var client = new DoppelClient(parse.GetValue(server)!);
            var path = RunPath(parse.GetValue(id)!);
            var (status, body) = await client.SendAsync(HttpMethod.Post, path + "/cancel", ct: ct);
            if (status != 200)
            {
                return DoppelClient.Fail(DoppelClient.Error(status, body));
            }
            var stopped = await FollowAsync(client, path, showProgress: false, cancelOnStop: false, ct);
            if (!stopped.IsSuccess)
            {
                return DoppelClient.Fail(stopped.Error);
            }
            Console.WriteLine(Summary(stopped.Value));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Delete()
    {
        var id = new Argument<string>("id") { Description = "The run's id." };
        var server = ClientOptions.Server();
        var command = new Command("delete", "Delete a finished run and its stored result.") { id, server };
        command.SetAction(async (parse, ct) =>
        {
            using var client = new DoppelClient(parse.GetValue(server)!);
            var (status, body) = await client.SendAsync(HttpMethod.Delete, RunPath(parse.GetValue(id)!), ct: ct);
            return status == 204 ? ExitCodes.Ok : DoppelClient.Fail(DoppelClient.Error(status, body));
        });
        return command;
    }

    /// <summary>
    /// Submits a scenario or experiment without waiting (202) and follows the run to its end with a progress bar on
    /// standard error; on Ctrl+C the run is cancelled on the server too. Returns the finished run.
    /// </summary>
    public static async Task<Result<JsonNode>> SubmitAndFollowAsync(DoppelClient client, string path, string body, string contentType, bool showProgress, CancellationToken ct)
    {
        var (status, submitted) = await client.SendAsync(HttpMethod.Post, path + (path.Contains('?') ? "&" : "?") + "wait=false", body, contentType, ct);
        if (status != 202)
        {
            return DoppelClient.Error(status, submitted);
        }
        return await FollowAsync(client, RunPath((string)submitted!["id"]!), showProgress, cancelOnStop: true, ct);
    }

    /// <summary>Follows a run's event stream until it has finished; with <paramref name="cancelOnStop"/>, Ctrl+C cancels it on the server.</summary>
    private static async Task<Result<JsonNode>> FollowAsync(DoppelClient client, string path, bool showProgress, bool cancelOnStop, CancellationToken ct)
    {
        try
        {
            var followed = await ProgressDisplay.RunAsync(showProgress, "replications", progress => ReadEventsAsync(client, path, progress, ct));
            // Null: the stream ended early (the server stopped), so the run's stored state says how it ended.
            return followed ?? await GetAsync(client, path, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested && cancelOnStop)
        {
            // The user gave up waiting: the server need not go on computing what nobody will read.
            Console.Error.WriteLine($"doppel: interrupted; cancelling the run on the server.");
            await client.SendAsync(HttpMethod.Post, path + "/cancel", ct: CancellationToken.None);
            throw;
        }
    }

    /// <summary>The run's finished state from its event stream, or null when the stream ended before it finished.</summary>
    private static async Task<Result<JsonNode>?> ReadEventsAsync(DoppelClient client, string path, IProgress<ProgressReport> progress, CancellationToken ct)
    {
        using var response = await client.OpenStreamAsync(path + "/events", ct);
        if (!response.IsSuccessStatusCode)
        {
            return DoppelClient.Error((int)response.StatusCode, await response.Content.ReadAsStringAsync(ct));
        }
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(ct))
        {
            if (item.EventType != "run")
            {
                continue; // heartbeats
            }
            var run = JsonNode.Parse(item.Data)!;
            progress.Report(new ProgressReport((int?)run["progress"]?["completed"] ?? 0, (int?)run["progress"]?["total"] ?? 1, $"{run["status"]}: {Progress(run)} replications"));
            if ((string?)run["status"] is not ("queued" or "running" or "cancelling"))
            {
                return Result<JsonNode>.Ok(run);
            }
        }
        return null;
    }

    private static async Task<Result<JsonNode>> GetAsync(DoppelClient client, string path, CancellationToken ct)
    {
        var (status, body) = await client.SendAsync(HttpMethod.Get, path, ct: ct);
        return status == 200 ? Result<JsonNode>.Ok(body!) : DoppelClient.Error(status, body);
    }

    private static string RunPath(string id) => "doppel/runs/" + Uri.EscapeDataString(id);

    /// <summary>One line: the run, its status and progress, its times, and its error if it failed.</summary>
    internal static string Summary(JsonNode run)
    {
        var line = $"Run {run["id"]} ({run["kind"]}) {run["status"]}: {Progress(run)} replications, created {CellText.Time(run["createdDateTime"])}";
        if (run["finishedDateTime"] is JsonValue)
        {
            line += $", finished {CellText.Time(run["finishedDateTime"])}";
        }
        if (run["error"] is JsonObject error)
        {
            line += $"\n  {error["code"]}: {error["message"]}";
        }
        return line;
    }

    private static string Progress(JsonNode? run) => $"{run?["progress"]?["completed"]}/{run?["progress"]?["total"]}";
}
