using System.CommandLine;
using System.Text.Json.Nodes;
using Doppel.Cli.Output;

namespace Doppel.Cli.Commands;

/// <summary>doppel alerts: the alerts rules raised (/doppel/alerts): list, acknowledge, resolve, and follow them live.</summary>
internal static class AlertsCommands
{
    public static Command Create() => new("alerts", "List, acknowledge and resolve alerts, or watch them as they are raised.")
    {
        List(),
        Change("ack", "Acknowledge an open alert.", "acknowledged"),
        Change("resolve", "Resolve an open alert by hand (its rule raises it again only once the condition has cleared).", "resolved"),
        Watch(),
    };

    private static Command List()
    {
        var state = new Option<string?>("--state") { Description = "open (raised or acknowledged), raised, acknowledged or resolved." };
        state.AcceptOnlyFromAmong("open", "raised", "acknowledged", "resolved");
        var rule = new Option<string?>("--rule") { Description = "Only alerts of this rule." };
        var twin = new Option<string?>("--twin") { Description = "Only alerts of this twin." };
        var severity = new Option<string?>("--severity") { Description = "Only alerts of this severity." };
        severity.AcceptOnlyFromAmong([.. Doppel.Rules.AlertSeverities.Names]);
        var limit = new Option<int?>("--limit") { Description = "At most this many (newest first)." };
        limit.Validators.Add(r => { if (r.GetValueOrDefault<int?>() is < 1) { r.AddError("--limit must be at least 1."); } });
        var server = ClientOptions.Server();
        var command = new Command("list", "List alerts, newest first.") { state, rule, twin, severity, limit, server };
        var output = OutputOptions.For(command);
        command.SetAction(async (parse, ct) =>
        {
            using var client = new DoppelClient(parse.GetValue(server)!);
            var path = "doppel/alerts" + Rows.Query(("state", parse.GetValue(state)), ("ruleId", parse.GetValue(rule)), ("twinId", parse.GetValue(twin)), ("severity", parse.GetValue(severity)));
            var alerts = await client.ListAllAsync(path, ct, parse.GetValue(limit));
            return alerts.IsSuccess
                ? Rows.Print(alerts.Value, ["id", Column.Time("raisedTime"), "severity", "state", "ruleId", "twinId", "message"], output.Read(parse), "alert")
                : DoppelClient.Fail(alerts.Error);
        });
        return command;
    }

    private static Command Change(string verb, string description, string past)
    {
        var id = new Argument<string>("id") { Description = "The alert's id." };
        var note = new Option<string?>("--note") { Description = "Why, for the alert's history." };
        var server = ClientOptions.Server();
        var command = new Command(verb, description) { id, note, server };
        command.SetAction(async (parse, ct) =>
        {
            using var client = new DoppelClient(parse.GetValue(server)!);
            var body = parse.GetValue(note) is { } text ? new JsonObject { ["note"] = text } : new JsonObject();
            var (status, alert) = await client.SendAsync(HttpMethod.Post, $"doppel/alerts/{Uri.EscapeDataString(parse.GetValue(id)!)}/{verb}", body.ToJsonString(), ct: ct);
            if (status != 200)
            {
                return DoppelClient.Fail(DoppelClient.Error(status, alert));
            }
            Console.WriteLine($"Alert '{alert!["id"]}' on {alert["twinId"]} {past}.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Watch()
    {
        var twins = new Option<string[]>("--twin") { Description = "Only alerts of these twins (repeatable).", AllowMultipleArgumentsPerToken = true };
        var count = new Option<int?>("--count") { Description = "Stop after this many events (default: run until Ctrl+C)." };
        count.Validators.Add(r => { if (r.GetValueOrDefault<int?>() is < 1) { r.AddError("--count must be at least 1."); } });
        var json = new Option<bool>("--json") { Description = "Print each event's CloudEvent JSON on one line." };
        var server = ClientOptions.Server();
        var command = new Command("watch", "Print alerts as they are raised, acknowledged and resolved, until Ctrl+C.") { twins, count, json, server };
        command.SetAction(async (parse, ct) =>
        {
            using var client = new DoppelClient(parse.GetValue(server)!);
            var path = "doppel/streams/events" + Rows.Query(("types", "alert"), ("twinId", Rows.Join(parse.GetValue(twins))));
            return await WatchCommand.WatchAsync(client, path, parse.GetValue(count), parse.GetValue(json), ct);
        });
        return command;
    }
}
