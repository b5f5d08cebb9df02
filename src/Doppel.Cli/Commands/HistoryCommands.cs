using System.CommandLine;
using System.Text.Json.Nodes;
using Doppel.Cli.Input;
using Doppel.Cli.Output;

namespace Doppel.Cli.Commands;

/// <summary>doppel history: raw points, aggregates, export, retention and downsampling of a server's history.</summary>
internal static class HistoryCommands
{
    public static Command Create()
    {
        var command = new Command("history", "Read and manage twin history (telemetry and property changes).");
        command.Subcommands.Add(Get());
        command.Subcommands.Add(At());
        command.Subcommands.Add(Aggregate());
        command.Subcommands.Add(Export());
        command.Subcommands.Add(Retention());
        command.Subcommands.Add(Downsample());
        command.Subcommands.Add(Compact());
        command.Subcommands.Add(Policy());
        command.Subcommands.Add(IngestCommands.Backfill());
        command.Subcommands.Add(IngestCommands.Live());
        return command;
    }

    private static Option<DateTimeOffset?> From() => TimeInput.Option("--from", "Start of the range (inclusive); default: the beginning.");

    private static Option<DateTimeOffset?> To() => TimeInput.Option("--to", "End of the range (exclusive); default: no end.");

    private static Option<string[]> Names() => new("--name") { Description = "Only these telemetry or property names (repeatable; component values are component.name).", AllowMultipleArgumentsPerToken = true };

    private static Command Get()
    {
        var twin = new Argument<string>("twin") { Description = "The twin's id." };
        var from = From();
        var to = To();
        var names = Names();
        var limit = new Option<int?>("--limit") { Description = "At most this many points: the oldest in the range (with --from -1h, the first of the last hour)." };
        limit.Validators.Add(r => { if (r.GetValueOrDefault<int?>() is < 1) { r.AddError("--limit must be at least 1."); } });
        var server = ClientOptions.Server();
        var command = new Command("get", "Print a twin's raw history, oldest first.") { twin, from, to, names, limit, server };
        var output = OutputOptions.For(command);
        command.SetAction(async (parse, ct) =>
        {
            using var client = new DoppelClient(parse.GetValue(server)!);
            var path = $"doppel/history/twins/{Uri.EscapeDataString(parse.GetValue(twin)!)}" + Rows.Query(("from", TimeInput.Format(parse.GetValue(from))), ("to", TimeInput.Format(parse.GetValue(to))), ("names", Rows.Join(parse.GetValue(names))));
            var points = await client.ListAllAsync(path, ct, parse.GetValue(limit));
            if (!points.IsSuccess)
            {
                return DoppelClient.Fail(points.Error);
            }
            return Rows.Print(points.Value, [Column.Time("time"), "name", "kind", "value"], output.Read(parse), "point");
        });
        return command;
    }

    private static Command At()
    {
        var twin = new Argument<string>("twin") { Description = "The twin's id." };
        var time = TimeInput.Argument("time", "The instant:");
        var names = Names();
        var server = ClientOptions.Server();
        var command = new Command("at", "Print where a twin stood at a past time: the newest value of each telemetry and property then.") { twin, time, names, server };
        var output = OutputOptions.For(command);
        command.SetAction(async (parse, ct) =>
        {
            using var client = new DoppelClient(parse.GetValue(server)!);
            var path = $"doppel/history/twins/{Uri.EscapeDataString(parse.GetValue(twin)!)}/at" + Rows.Query(("time", TimeInput.Format(parse.GetValue(time))), ("names", Rows.Join(parse.GetValue(names))));
            var (status, body) = await client.SendAsync(HttpMethod.Get, path, ct: ct);
            if (status != 200)
            {
                return DoppelClient.Fail(DoppelClient.Error(status, body));
            }
            return Rows.Print([.. body!["value"]!.AsArray()], ["name", "kind", "value", Column.Time("time")], output.Read(parse), "value");
        });
        return command;
    }

    private static Command Aggregate()
    {
        var twins = new Option<string[]>("--twin") { Description = "Twin ids (repeatable); default: all twins.", AllowMultipleArgumentsPerToken = true };
        var query = new Option<string?>("--query") { Description = "Twins returned by this query instead of --twin, e.g. \"SELECT T FROM DIGITALTWINS T WHERE IS_OF_MODEL(T, 'dtmi:example:Room;1')\"." };
        var bucket = new Option<string>("--bucket") { Description = "Bucket width: 90s, 15m, 1h, 1d or ISO 8601 (PT1H).", DefaultValueFactory = _ => "1h" };
        var aggregates = new Option<string?>("--aggregates") { Description = "Comma-separated: avg,min,max,sum,count,first,last,stddev (default: all)." };
        var from = From();
        var to = To();
        var names = Names();
        var server = ClientOptions.Server();
        var command = new Command("aggregate", "Print aggregates per twin, name and time bucket.") { twins, query, bucket, aggregates, from, to, names, server };
        var output = OutputOptions.For(command);
        command.SetAction(async (parse, ct) =>
        {
            using var client = new DoppelClient(parse.GetValue(server)!);
            var path = "doppel/history/aggregates" + Rows.Query(
                ("twinIds", Rows.Join(parse.GetValue(twins))), ("query", parse.GetValue(query)), ("bucket", parse.GetValue(bucket)),
                ("aggregates", parse.GetValue(aggregates)), ("from", TimeInput.Format(parse.GetValue(from))), ("to", TimeInput.Format(parse.GetValue(to))), ("names", Rows.Join(parse.GetValue(names))));
            var (status, body) = await client.SendAsync(HttpMethod.Get, path, ct: ct);
            if (status != 200)
            {
                return DoppelClient.Fail(DoppelClient.Error(status, body));
            }
            var rows = body!["value"]!.AsArray().ToList();
            var columns = rows.OfType<JsonObject>().SelectMany(r => r.Select(p => p.Key)).Distinct().Select(k => k == "start" ? Column.Time(k) : (Column)k).ToList();
            return Rows.Print(rows, columns.Count > 0 ? columns : ["twinId", "name", Column.Time("start")], output.Read(parse), "bucket");
        });
        return command;
    }

    private static Command Export()
    {
        var file = new Argument<string>("file") { Description = "The Parquet file to write (on the server's machine)." };
        var twins = new Option<string[]>("--twin") { Description = "Twin ids (repeatable); default: all twins.", AllowMultipleArgumentsPerToken = true };
        var from = From();
        var to = To();
        var names = Names();
        var server = ClientOptions.Server();
        var command = new Command("export", "Export history to a Parquet file that DuckDB, Spark or pandas read directly.") { file, twins, from, to, names, server };
        command.SetAction(async (parse, ct) =>
        {
            using var client = new DoppelClient(parse.GetValue(server)!);
            var request = new JsonObject
            {
                ["path"] = Path.GetFullPath(parse.GetValue(file)!),
                ["twinIds"] = new JsonArray([.. (parse.GetValue(twins) ?? []).Select(t => JsonValue.Create(t))]),
                ["names"] = new JsonArray([.. (parse.GetValue(names) ?? []).Select(n => JsonValue.Create(n))]),
                ["from"] = TimeInput.Format(parse.GetValue(from)),
                ["to"] = TimeInput.Format(parse.GetValue(to)),
            };
            var (status, body) = await client.SendAsync(HttpMethod.Post, "doppel/history/export", request.ToJsonString(), ct: ct);
            if (status != 200)
            {
                return DoppelClient.Fail(DoppelClient.Error(status, body));
            }
            Console.WriteLine($"Exported {CellText.Count((long)body!["points"]!, "point")} to {body["path"]}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Retention() => Maintenance("retention", "Delete history older than a time or an age.", "deleted", withBucket: false);

    private static Command Downsample() => Maintenance("downsample", "Replace numeric history older than a time or an age by one average per bucket.", "removed", withBucket: true);

    private static Command Maintenance(string name, string description, string countKey, bool withBucket)
    {
        var before = TimeInput.Option("--before", "Cutoff time:");
        var olderThan = new Option<string?>("--older-than") { Description = "Cutoff age before now: 30d, 12h, P7D." };
        var bucket = new Option<string>("--bucket") { Description = "Bucket width for the averages.", DefaultValueFactory = _ => "1h" };
        var server = ClientOptions.Server();
        var command = new Command(name, description) { before, olderThan, server };
        if (withBucket)
        {
            command.Options.Add(bucket);
        }
        command.SetAction(async (parse, ct) =>
        {
            using var client = new DoppelClient(parse.GetValue(server)!);
            var path = $"doppel/history/{name}" + Rows.Query(("before", TimeInput.Format(parse.GetValue(before))), ("olderThan", parse.GetValue(olderThan)), ("bucket", withBucket ? parse.GetValue(bucket) : null));
            var (status, body) = await client.SendAsync(HttpMethod.Post, path, ct: ct);
            if (status != 200)
            {
                return DoppelClient.Fail(DoppelClient.Error(status, body));
            }
            Console.WriteLine($"{char.ToUpperInvariant(countKey[0])}{countKey[1..]} {CellText.Count((long)body![countKey]!, "point")} older than {body["before"]}.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Compact()
    {
        var server = ClientOptions.Server();
        var command = new Command("compact", "Re-sort stored history by twin and time, so that reading one twin touches only its own data.") { server };
        command.SetAction(async (parse, ct) =>
        {
            using var client = new DoppelClient(parse.GetValue(server)!);
            var (status, body) = await client.SendAsync(HttpMethod.Post, "doppel/history/compact", ct: ct);
            if (status != 200)
            {
                return DoppelClient.Fail(DoppelClient.Error(status, body));
            }
            Console.WriteLine($"Compacted {CellText.Count((long)body!["compacted"]!, "point")}.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Policy()
    {
        var retention = new Option<string?>("--retention") { Description = "Delete points older than this: 90d, P1Y." };
        var downsampleAfter = new Option<string?>("--downsample-older-than") { Description = "Average numeric points older than this per --downsample-bucket." };
        var downsampleBucket = new Option<string>("--downsample-bucket") { Description = "Bucket of the averages.", DefaultValueFactory = _ => "1h" };
        var compact = new Option<bool>("--compact") { Description = "Also compact history at each run." };
        var interval = new Option<string>("--interval") { Description = "How often the policy runs.", DefaultValueFactory = _ => "1h" };
        var clear = new Option<bool>("--clear") { Description = "Remove the policy: keep all history." };
        var run = new Option<bool>("--run") { Description = "Apply the policy now and print what it did." };
        var server = ClientOptions.Server();
        var command = new Command("policy", "Show, set, clear or run the standing history policy (retention, downsampling, compaction).")
        {
            retention, downsampleAfter, downsampleBucket, compact, interval, clear, run, server,
        };
        command.SetAction(async (parse, ct) =>
        {
            using var client = new DoppelClient(parse.GetValue(server)!);
            (int Status, JsonNode? Body) result;
            if (parse.GetValue(clear))
            {
                result = await client.SendAsync(HttpMethod.Delete, "doppel/history/policy", ct: ct);
            }
            else if (parse.GetValue(retention) is not null || parse.GetValue(downsampleAfter) is not null || parse.GetValue(compact))
            {
                var policy = new JsonObject { ["compact"] = parse.GetValue(compact), ["interval"] = parse.GetValue(interval) };
                if (parse.GetValue(retention) is { } keep)
                {
                    policy["retention"] = keep;
                }
                if (parse.GetValue(downsampleAfter) is { } after)
                {
                    policy["downsample"] = new JsonObject { ["olderThan"] = after, ["bucket"] = parse.GetValue(downsampleBucket) };
                }
                result = await client.SendAsync(HttpMethod.Put, "doppel/history/policy", policy.ToJsonString(), ct: ct);
            }
            else
            {
                result = await client.SendAsync(HttpMethod.Get, "doppel/history/policy", ct: ct);
            }
            if (result.Status is not (200 or 204))
            {
                return DoppelClient.Fail(DoppelClient.Error(result.Status, result.Body));
            }
            if (parse.GetValue(run))
            {
                result = await client.SendAsync(HttpMethod.Post, "doppel/history/policy/run", ct: ct);
                if (result.Status != 200)
                {
                    return DoppelClient.Fail(DoppelClient.Error(result.Status, result.Body));
                }
            }
            Console.WriteLine(result.Body?.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) ?? "No history policy: all history is kept.");
            return ExitCodes.Ok;
        });
        return command;
    }
}
