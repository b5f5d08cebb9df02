using System.Text.Json.Nodes;
using Doppel.Rules;
using Doppel.Security;
using Doppel.Server.Audit.Internal;
using Doppel.Server.Runtime;
using Doppel.Server.Security;
using Doppel.Storage;

namespace Doppel.Server.Api;

/// <summary>Alerts: <c>/doppel/alerts</c> (newest first, filtered, visible to whoever may read the twin), one alert with its transitions, acknowledge and resolve.</summary>
internal static class AlertEndpoints
{
    private const int MaxPageSize = 1000;

    private static readonly string[] Filters = ["state", "ruleId", "twinId", "severity", "from", "to"];

    public static void Map(IEndpointRouteBuilder app)
    {
        var alerts = app.MapGroup("/doppel/alerts").WithTags("Alerts");

        alerts.MapGet("", (HttpRequest request, RuleMonitor monitor, TwinRuntime runtime) =>
        {
            if (ListFilters.Unknown(request, Filters) is { } unknown)
            {
                return AdtErrors.ToResult(unknown);
            }
            var size = Paging.PageSize(request, MaxPageSize);
            var after = Paging.ResumeAfter(request);
            var from = ListFilters.Time(request, "from");
            var to = ListFilters.Time(request, "to");
            var states = States(request);
            if (!size.IsSuccess || !after.IsSuccess || !from.IsSuccess || !to.IsSuccess || !states.IsSuccess)
            {
                return AdtErrors.ToResult(size.Error ?? after.Error ?? from.Error ?? to.Error ?? states.Error!);
            }
            var severity = ListFilters.Text(request, "severity");
            if (severity is not null && AlertSeverities.Find(severity) is null)
            {
                return AdtErrors.ToResult("InvalidArgument", $"'{severity}' is not a severity; use one of {string.Join(", ", AlertSeverities.Names)}.");
            }
            var search = new AlertSearch(states.Value, ListFilters.Text(request, "ruleId"), ListFilters.Text(request, "twinId"), severity?.ToLowerInvariant(), from.Value, to.Value);
            var rules = request.HttpContext.Access();
            var everywhere = rules.AllowsEverywhere(Resource.Twins, Access.Read);
            // Pages of the store are read until a page of visible alerts (and one more) is found.
            var page = new List<Alert>();
            var cursor = after.Value;
            var more = false;
            while (true)
            {
                var batch = monitor.Search(search, cursor, size.Value + 1);
                foreach (var alert in batch)
                {
                    if (everywhere || Visible(rules, runtime, alert.TwinId))
                    {
                        if (page.Count == size.Value)
                        {
                            more = true;
                            break;
                        }
                        page.Add(alert);
                    }
                }
                if (more || batch.Count <= size.Value)
                {
                    break;
                }
                cursor = batch[^1].Id;
            }
            return Responses.Page(page.Select(a => (JsonNode)a.ToJson()), more ? Paging.NextLink(request, page[^1].Id) : null);
        }).WithName("Alerts_List");

        alerts.MapGet("/{id}", (string id, HttpContext context, RuleMonitor monitor, TwinRuntime runtime) =>
        {
            if (monitor.Find(id) is not { } alert)
            {
                return NotFound(id);
            }
            return Check(context, runtime, alert, Access.Read) ?? Responses.Json(alert.ToJson(transitions: true));
        }).WithName("Alerts_Get");

        alerts.MapPost("/{id}/ack", (string id, HttpContext context, RuleMonitor monitor, TwinRuntime runtime, CancellationToken ct) =>
            ChangeAsync(id, context, monitor, runtime, (by, note) => monitor.AcknowledgeAsync(id, by, note), ct))
            .WithName("Alerts_Acknowledge").Audited("alert.ack", "alert");

        alerts.MapPost("/{id}/resolve", (string id, HttpContext context, RuleMonitor monitor, TwinRuntime runtime, CancellationToken ct) =>
            ChangeAsync(id, context, monitor, runtime, (by, note) => monitor.ResolveAsync(id, by, note), ct))
            .WithName("Alerts_Resolve").Audited("alert.resolve", "alert");
    }

    private static async Task<IResult> ChangeAsync(string id, HttpContext context, RuleMonitor monitor, TwinRuntime runtime, Func<string, string?, Task<Result<Alert>>> change, CancellationToken ct)
    {
        string? note = null;
        if (context.Request.ContentLength is not 0)
        {
            var bytes = await RequestBody.ReadAsync(context.Request, 16 * 1024, ct);
            if (!bytes.IsSuccess)
            {
                return AdtErrors.ToResult(bytes.Error);
            }
            if (bytes.Value.Length > 0)
            {
                var body = RequestBody.ExpectObject(RequestBody.ParseJson(bytes.Value), "an acknowledgement or resolution");
                if (!body.IsSuccess)
                {
                    return AdtErrors.ToResult(body.Error);
                }
                foreach (var (key, value) in body.Value)
                {
                    if (key != "note")
                    {
                        return AdtErrors.ToResult("InvalidArgument", $"Unknown member '{key}'; the body may carry only \"note\".");
                    }
                    if (value is not null && !(value is JsonValue v && v.TryGetValue<string>(out note)))
                    {
                        return AdtErrors.ToResult("InvalidArgument", "\"note\" must be a string.");
                    }
                }
            }
        }
        if (monitor.Find(id) is not { } alert)
        {
            return NotFound(id);
        }
        if (Check(context, runtime, alert, Access.Write) is { } denied)
        {
            return denied;
        }
        var changed = await change(Caller.SubjectOf(context.User), note);
        return changed.IsSuccess ? Responses.Json(changed.Value.ToJson(transitions: true)) : AdtErrors.ToResult(changed.Error);
    }

    /// <summary>Null when the subject may read (or, to change an alert, write) its twin; else the 403.</summary>
    private static IResult? Check(HttpContext context, TwinRuntime runtime, Alert alert, Access access)
    {
        var rules = context.Access();
        if (rules.AllowsEverywhere(Resource.Twins, access))
        {
            return null;
        }
        var twin = runtime.Graph.TryGetTwin(alert.TwinId, out var live) ? new TwinView(live) : new TwinView(alert.TwinId, new JsonObject { ["$dtId"] = alert.TwinId });
        return rules.Allows(Resource.Twins, access, twin) ? null : RequestAccess.Deny(context, Resource.Twins, access, $"twin '{alert.TwinId}' (alert '{alert.Id}')");
    }

    private static bool Visible(AccessRules rules, TwinRuntime runtime, string twinId) =>
        rules.Allows(Resource.Twins, Access.Read, runtime.Graph.TryGetTwin(twinId, out var twin) ? new TwinView(twin) : new TwinView(twinId, new JsonObject { ["$dtId"] = twinId }));

    private static Result<IReadOnlyList<string>> States(HttpRequest request)
    {
        var states = new List<string>();
        foreach (var value in (ListFilters.Text(request, "state") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (value.Equals("open", StringComparison.OrdinalIgnoreCase))
            {
                states.AddRange(["raised", "acknowledged"]);
            }
            else if (AlertStates.Find(value) is { } state)
            {
                states.Add(state.Name());
            }
            else
            {
                return Result<IReadOnlyList<string>>.Fail("InvalidArgument", $"'{value}' is not an alert state; use open, raised, acknowledged or resolved.");
            }
        }
        return Result<IReadOnlyList<string>>.Ok([.. states.Distinct()]);
    }

    private static IResult NotFound(string id) => AdtErrors.ToResult("AlertNotFound", $"There is no alert with id '{id}'.");
}
