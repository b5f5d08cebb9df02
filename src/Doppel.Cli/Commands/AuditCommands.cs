using System.CommandLine;
using Doppel.Cli.Input;
using Doppel.Cli.Invocation;
using Doppel.Cli.Output;

namespace Doppel.Cli.Commands;

/// <summary>doppel audit: who changed what and when (/doppel/audit), newest first.</summary>
internal static class AuditCommands
{
    public static Command Create()
    {
        var subject = new Option<string?>("--subject") { Description = "Only changes by this subject: key:<name>, oidc:<sub> or anonymous." };
        var action = new Option<string?>("--action") { Description = "Only this action, e.g. twin.patch, model.delete, route.put." };
        var kind = new Option<string?>("--kind") { Description = "Only this kind of resource: twin, relationship, model, route, endpoint, mapping, job, run, history, policy, key." };
        var resource = new Option<string?>("--resource") { Description = "Only this resource id; a trailing * matches ids that start with the rest (a relationship's id is twinId/relationshipId)." };
        var since = TimeInput.Option("--since", "Changes at or after this time.");
        var until = TimeInput.Option("--until", "Changes before this time.");
        var limit = new Option<int>("--limit") { Description = "At most this many records, the newest.", DefaultValueFactory = _ => 100 };
        var server = ClientOptions.Server();
        var command = new Command("audit", "Who changed what and when: the server's audit log of change requests, newest first (reads and telemetry are not audited).")
        {
            subject, action, kind, resource, since, until, limit, server,
        };
        var output = OutputOptions.For(command);
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(limit) < 1)
            {
                throw CommandFailure.Usage("--limit must be positive.");
            }
            var id = parse.GetValue(resource);
            var prefix = id is { Length: > 1 } && id.EndsWith('*') ? id[..^1] : null;
            var path = "doppel/audit" + Rows.Query(
                ("subject", parse.GetValue(subject)),
                ("action", parse.GetValue(action)),
                ("resourceKind", parse.GetValue(kind)),
                ("resourceId", prefix is null ? id : null),
                ("resourcePrefix", prefix),
                ("since", TimeInput.Format(parse.GetValue(since))),
                ("until", TimeInput.Format(parse.GetValue(until))));
            using var client = new DoppelClient(parse.GetValue(server)!);
            var records = await client.ListAllAsync(path, ct, parse.GetValue(limit));
            return records.IsSuccess
                ? Rows.Print(records.Value, [Column.Time("time"), "subject", "action", "resourceId", "status", "summary"], output.Read(parse), "record")
                : DoppelClient.Fail(records.Error);
        });
        return command;
    }
}
