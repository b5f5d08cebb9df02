using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.Cli.Input;
using Doppel.Cli.Output;

namespace Doppel.Cli.Commands;

/// <summary>
/// doppel import: runs an ADT import job on a server of this machine and follows it to the end, then prints the lines
/// that failed (from the job's log, with the file's line numbers). Ctrl+C cancels the job on the server.
/// </summary>
internal static class ImportCommand
{
    /// <summary>Failed lines printed at most; the log has them all.</summary>
    private const int MaxErrorsShown = 20;

    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "The ADT import file (NDJSON: Header, Models, Twins, Relationships sections)." }.Reads(InputKind.ServerReadsFile);
        var server = ClientOptions.Server();
        var jobId = new Option<string?>("--job-id") { Description = "The import job's id (default: a new GUID)." };
        var output = new Option<string?>("--output") { Description = "Where the server writes the job's log (default: FILE with extension .log.ndjson)." };
        var command = new Command("import", "Import models, twins and relationships from an NDJSON file with an ADT import job, showing progress; exits 1 if any line failed.") { file, server, jobId, output };
        command.SetAction(async (parse, ct) =>
        {
            var given = parse.GetValue(file)!;
            DocumentText.RequireFile(given, "file");
            var input = Path.GetFullPath(given);
            var log = Path.GetFullPath(parse.GetValue(output) ?? Path.ChangeExtension(input, ".log.ndjson"));
            using var client = new DoppelClient(parse.GetValue(server)!);
            var id = parse.GetValue(jobId) ?? Guid.NewGuid().ToString();
            var result = await RunAsync(client, id, input, log, showProgress: Terminal.ShowsProgress, announce: !Terminal.ShowsProgress, ct);
            if (result.Error is { } error)
            {
                return DoppelClient.Fail(error);
            }
            var job = result.Job!;
            var elapsed = result.Elapsed.TotalSeconds;
            var twins = (long)job["twinsImported"]!;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Import job {job["id"]} {job["status"]} in {elapsed:0.0}s: {CellText.Count((long)job["modelsImported"]!, "model")}, {CellText.Count(twins, "twin")} ({twins / Math.Max(elapsed, 0.001):N0}/s), {CellText.Count((long)job["relationshipsImported"]!, "relationship")}, {CellText.Count((long)job["errors"]!, "error")}."));
            if (job["error"] is JsonObject jobError)
            {
                Console.Error.WriteLine($"doppel: {given}: {jobError["code"]}: {jobError["message"]}");
            }
            PrintFailedLines(given, log, (long)job["errors"]!);
            Console.WriteLine($"Log: {log}");
            return (string?)job["status"] == "succeeded" && (long)job["errors"]! == 0 ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }

    public sealed record Outcome(JsonNode? Job, DoppelError? Error, TimeSpan Elapsed);

    /// <summary>Starts the job and follows it until it finishes; on Ctrl+C, cancels it on the server and waits until it has stopped.</summary>
    public static async Task<Outcome> RunAsync(DoppelClient client, string jobId, string inputPath, string outputPath, bool showProgress, bool announce, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var request = new JsonObject { ["inputBlobUri"] = new Uri(inputPath).AbsoluteUri, ["outputBlobUri"] = new Uri(outputPath).AbsoluteUri };
        var path = $"jobs/imports/{Uri.EscapeDataString(jobId)}";
        int status;
        JsonNode? body;
        try
        {
            (status, body) = await client.SendAsync(HttpMethod.Put, path, request.ToJsonString(), ct: ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Ctrl+C while the job was being created: the server may have started it all the same.
            await CancelAsync(client, jobId, path);
            throw;
        }
        if (status != 201)
        {
            return new Outcome(null, DoppelClient.Error(status, body), watch.Elapsed);
        }
        if (announce)
        {
            Console.WriteLine($"Import job {jobId} started (Ctrl+C cancels it).");
        }
        // Every line but the header and section markers is an item (a model, twin or relationship), imported or failed.
        var items = showProgress ? Math.Max(CountLines(inputPath) - 5, 1) : 1;
        try
        {
            return await ProgressDisplay.RunAsync(showProgress, "importing", async progress =>
            {
                while (!IsFinished(body))
                {
                    progress.Report(new ProgressReport(Done(body!), items, $"{body!["status"]}: {CellText.Count((long)body["twinsImported"]!, "twin")}, {CellText.Count((long)body["errors"]!, "error")}"));
                    // The job has no event stream (ADT's API has none): it is read five times a second.
                    await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
                    (status, body) = await client.SendAsync(HttpMethod.Get, path, ct: ct);
                    if (status != 200)
                    {
                        return new Outcome(null, DoppelClient.Error(status, body), watch.Elapsed);
                    }
                }
                progress.Report(new ProgressReport(items, items, (string?)body!["status"]));
                return new Outcome(body, null, watch.Elapsed);
            });
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await CancelAsync(client, jobId, path);
            throw;
        }
    }

    /// <summary>Cancels the job and waits until it has stopped, so the counts printed are final; a second Ctrl+C ends doppel at once.</summary>
    private static async Task CancelAsync(DoppelClient client, string jobId, string path)
    {
        var (status, body) = await client.SendAsync(HttpMethod.Post, path + "/cancel", ct: CancellationToken.None);
        if (status == 404)
        {
            Console.Error.WriteLine($"doppel: interrupted before import job {jobId} started.");
            return;
        }
        Console.Error.WriteLine($"doppel: interrupted; asked the server to cancel import job {jobId}, waiting for it to stop (Ctrl+C again to leave now).");
        while (status == 200 && !IsFinished(body))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), CancellationToken.None);
            (status, body) = await client.SendAsync(HttpMethod.Get, path, ct: CancellationToken.None);
        }
        if (status == 200)
        {
            Console.Error.WriteLine($"doppel: import job {jobId} {body!["status"]}: {CellText.Count((long)body["modelsImported"]!, "model")}, {CellText.Count((long)body["twinsImported"]!, "twin")} and {CellText.Count((long)body["relationshipsImported"]!, "relationship")} were imported before it stopped (an import is not rolled back).");
        }
    }

    private static bool IsFinished(JsonNode? job) => (string?)job?["status"] is not ("notstarted" or "running" or "cancelling");

    private static long Done(JsonNode job) => (long)job["modelsImported"]! + (long)job["twinsImported"]! + (long)job["relationshipsImported"]! + (long)job["errors"]!;

    /// <summary>The failed lines from the job's log (ADT's output format), as file:line: code: message, on standard error.</summary>
    private static void PrintFailedLines(string input, string log, long errors)
    {
        if (errors == 0 || !File.Exists(log))
        {
            return;
        }
        var shown = 0;
        foreach (var line in File.ReadLines(log))
        {
            JsonNode? entry;
            try
            {
                entry = JsonNode.Parse(line);
            }
            catch (JsonException)
            {
                continue; // A log line cut short by a crash says nothing more.
            }
            if ((string?)entry?["logType"] != "Error" || entry["details"] is not JsonObject details || details["section"] is null)
            {
                continue; // A job-level error was printed from the job itself.
            }
            if (shown++ == MaxErrorsShown)
            {
                Console.Error.WriteLine($"doppel: … and {CellText.Count(errors - MaxErrorsShown, "more failed line")}; the log has every one.");
                return;
            }
            var at = details["line"] is JsonValue number ? $"{input}:{number}" : input;
            Console.Error.WriteLine($"doppel: {at}: {details["code"]}: {details["message"]}");
        }
    }

    private static long CountLines(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var buffer = new byte[1 << 16];
        long lines = 0;
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            lines += buffer.AsSpan(0, read).Count((byte)'\n');
        }
        return lines + 1;
    }
}
