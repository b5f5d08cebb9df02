using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Doppel.Cli.Commands;

/// <summary>doppel import: runs an ADT import job on a server of this machine and follows it to the end.</summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "The ADT import file (NDJSON: Header, Models, Twins, Relationships sections)." };
        var server = ClientOptions.Server();
        var jobId = new Option<string?>("--job-id") { Description = "The import job's id (default: a new GUID)." };
        var output = new Option<string?>("--output") { Description = "Where the server writes the job's log (default: FILE with extension .log.ndjson)." };
        var command = new Command("import", "Import models, twins and relationships from an NDJSON file with an ADT import job, showing progress.") { file, server, jobId, output };
        command.SetAction(async (parse, ct) =>
        {
            var input = Path.GetFullPath(parse.GetValue(file)!);
            if (!File.Exists(input))
            {
                Console.Error.WriteLine($"doppel: {input} does not exist.");
                return ExitCodes.Usage;
            }
            var log = Path.GetFullPath(parse.GetValue(output) ?? Path.ChangeExtension(input, ".log.ndjson"));
            using var client = new DoppelClient(parse.GetValue(server)!);
            var result = await RunAsync(client, parse.GetValue(jobId) ?? Guid.NewGuid().ToString(), input, log, showProgress: !Console.IsOutputRedirected, ct);
            if (result.Error is { } error)
            {
                return DoppelClient.Fail(error);
            }
            var job = result.Job!;
            var elapsed = result.Elapsed.TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Import job {job["id"]} {job["status"]} in {elapsed:0.0}s: {(long)job["modelsImported"]!:N0} models, {(long)job["twinsImported"]!:N0} twins ({(long)job["twinsImported"]! / Math.Max(elapsed, 0.001):N0}/s), {(long)job["relationshipsImported"]!:N0} relationships, {(long)job["errors"]!:N0} errors."));
            if (job["error"] is JsonObject jobError)
            {
                Console.Error.WriteLine($"doppel: {jobError["code"]}: {jobError["message"]}");
            }
            Console.WriteLine($"Log: {log}");
            return (string?)job["status"] == "succeeded" ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }

    public sealed record Outcome(JsonNode? Job, DoppelError? Error, TimeSpan Elapsed);

    /// <summary>Starts the job and polls it until it finishes.</summary>
    public static async Task<Outcome> RunAsync(DoppelClient client, string jobId, string inputPath, string outputPath, bool showProgress, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var request = new JsonObject { ["inputBlobUri"] = new Uri(inputPath).AbsoluteUri, ["outputBlobUri"] = new Uri(outputPath).AbsoluteUri };
        var path = $"jobs/imports/{Uri.EscapeDataString(jobId)}";
        var (status, body) = await client.SendAsync(HttpMethod.Put, path, request.ToJsonString(), ct: ct);
        if (status != 201)
        {
            return new Outcome(null, DoppelClient.Error(status, body), watch.Elapsed);
        }
        // Every line but the header and section markers is an item (a model, twin or relationship), imported or failed.
        var items = showProgress ? Math.Max(CountLines(inputPath) - 5, 1) : 1;
        while ((string?)body!["status"] is "notstarted" or "running" or "cancelling")
        {
            if (showProgress)
            {
                var done = (long)body["modelsImported"]! + (long)body["twinsImported"]! + (long)body["relationshipsImported"]! + (long)body["errors"]!;
                Console.Write(string.Create(CultureInfo.InvariantCulture,
                    $"\r{ProgressBar(done / (double)items, 24)} [{watch.Elapsed:mm\\:ss}] {body["status"],-10} twins {(long)body["twinsImported"]!,11:N0}  relationships {(long)body["relationshipsImported"]!,11:N0}  errors {(long)body["errors"]!,7:N0}"));
            }
            await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
            (status, body) = await client.SendAsync(HttpMethod.Get, path, ct: ct);
            if (status != 200)
            {
                return new Outcome(null, DoppelClient.Error(status, body), watch.Elapsed);
            }
        }
        if (showProgress)
        {
            Console.WriteLine();
        }
        return new Outcome(body, null, watch.Elapsed);
    }

    /// <summary>A text progress bar such as <c>[######------]  50%</c>; the fraction is clamped to [0, 1].</summary>
    internal static string ProgressBar(double fraction, int width)
    {
        fraction = double.IsNaN(fraction) ? 0 : Math.Clamp(fraction, 0, 1);
        var filled = (int)Math.Round(fraction * width);
        return string.Create(CultureInfo.InvariantCulture, $"[{new string('#', filled)}{new string('-', width - filled)}] {fraction * 100,3:0}%");
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
