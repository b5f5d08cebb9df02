using System.Text;
using System.Text.Json.Nodes;
using Doppel.Rules;
using Doppel.Server.Audit.Internal;
using Doppel.Server.Runtime;

namespace Doppel.Server.Api;

/// <summary>Alert rules: <c>/doppel/rules</c> (put as JSON or YAML, list, get, delete) and their backtest over history.</summary>
internal static class RuleEndpoints
{
    private const int MaxPageSize = 1000;
    private const int MaxRuleBytes = 64 * 1024;

    public static void Map(IEndpointRouteBuilder app)
    {
        var rules = app.MapGroup("/doppel/rules").WithTags("Rules");

        rules.MapGet("", (HttpRequest request, RuleMonitor monitor) =>
        {
            var size = Paging.PageSize(request, MaxPageSize);
            var after = Paging.ResumeAfter(request);
            if (!size.IsSuccess || !after.IsSuccess)
            {
                return AdtErrors.ToResult(size.Error ?? after.Error!);
            }
            var items = monitor.List().Where(r => after.Value is null || string.CompareOrdinal(r.Id, after.Value) > 0).Take(size.Value + 1).ToList();
            var page = items.Take(size.Value).ToList();
            return Responses.Page(page.Select(r => (JsonNode)r.ToJson()), items.Count > size.Value ? Paging.NextLink(request, page[^1].Id) : null);
        }).WithName("Rules_List");

        rules.MapGet("/{id}", (string id, RuleMonitor monitor) =>
            monitor.Get(id) is { } rule ? Responses.Json(rule.ToJson(), rule.ETag) : NotFound(id)).WithName("Rules_Get");

        rules.MapPut("/{id}", async (string id, HttpRequest request, RuleMonitor monitor, CancellationToken ct) =>
        {
            var text = await ReadRuleAsync(request, ct);
            if (!text.IsSuccess)
            {
                return AdtErrors.ToResult(text.Error);
            }
            var rule = monitor.Parse(id, text.Value);
            if (!rule.IsSuccess)
            {
                return AdtErrors.ToResult(rule.Error);
            }
            var (stored, created) = monitor.Put(rule.Value);
            return Responses.Json(stored.ToJson(), stored.ETag, created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
        }).WithName("Rules_Put").Audited("rule.put", "rule");

        rules.MapDelete("/{id}", (string id, RuleMonitor monitor) =>
            monitor.Delete(id) ? Responses.NoContent() : NotFound(id)).WithName("Rules_Delete").Audited("rule.delete", "rule");

        rules.MapPost("/backtest", async (HttpRequest request, RuleMonitor monitor, CancellationToken ct) =>
        {
            var body = RequestBody.ExpectObject(await RequestBody.ReadJsonAsync(request, MaxRuleBytes, ct), "a backtest request");
            if (!body.IsSuccess)
            {
                return AdtErrors.ToResult(body.Error);
            }
            if (body.Value["rule"] is not JsonObject document)
            {
                return AdtErrors.ToResult("RuleInvalid", "rule: the backtest needs the rule to try, as \"rule\": { scope, condition, severity, message, ... }.");
            }
            var id = document["id"] is JsonValue v && v.TryGetValue<string>(out var given) ? given : "backtest";
            var rule = monitor.Parse(id, document.ToJsonString());
            return rule.IsSuccess ? await BacktestAsync(monitor, rule.Value, body.Value, ct) : AdtErrors.ToResult(rule.Error);
        }).WithName("Rules_Backtest");

        rules.MapPost("/{id}/backtest", async (string id, HttpRequest request, RuleMonitor monitor, CancellationToken ct) =>
        {
            if (monitor.Get(id) is not { } rule)
            {
                return NotFound(id);
            }
            var body = RequestBody.ExpectObject(await RequestBody.ReadJsonAsync(request, MaxRuleBytes, ct), "a backtest request");
            return body.IsSuccess ? await BacktestAsync(monitor, rule, body.Value, ct) : AdtErrors.ToResult(body.Error);
        }).WithName("Rules_BacktestStored");
    }

    private static async Task<IResult> BacktestAsync(RuleMonitor monitor, AlertRule rule, JsonObject body, CancellationToken ct)
    {
        foreach (var (key, _) in body)
        {
            if (key is not ("rule" or "from" or "to"))
            {
                return AdtErrors.ToResult("InvalidArgument", $"Unknown member '{key}' in the backtest request; it takes \"from\", \"to\" (and \"rule\" for a rule not stored).");
            }
        }
        var from = Time(body["from"], "from");
        var to = Time(body["to"], "to");
        if (!from.IsSuccess || !to.IsSuccess)
        {
            return AdtErrors.ToResult(from.Error ?? to.Error!);
        }
        if (from.Value >= to.Value)
        {
            return AdtErrors.ToResult("InvalidArgument", $"'from' ({body["from"]}) must be before 'to' ({body["to"]}).");
        }
        var result = await monitor.BacktestAsync(rule, from.Value, to.Value, ct);
        return Responses.Json(result.ToJson());
    }

    private static Result<DateTimeOffset> Time(JsonNode? node, string what) =>
        node is JsonValue v && v.TryGetValue<string>(out var text)
            && DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var time)
            ? Result<DateTimeOffset>.Ok(time)
            : Result<DateTimeOffset>.Fail("InvalidArgument", $"'{what}' must be an RFC 3339 date-time such as 2026-03-01T00:00:00Z.");

    /// <summary>The rule's text: JSON (an object), or YAML when the content type says so.</summary>
    private static async Task<Result<string>> ReadRuleAsync(HttpRequest request, CancellationToken ct)
    {
        var bytes = await RequestBody.ReadAsync(request, MaxRuleBytes, ct);
        if (!bytes.IsSuccess)
        {
            return bytes.Error;
        }
        var text = Encoding.UTF8.GetString(bytes.Value);
        var yaml = request.ContentType is { } type && (type.Contains("yaml", StringComparison.OrdinalIgnoreCase) || type.Contains("yml", StringComparison.OrdinalIgnoreCase));
        if (!yaml && !text.AsSpan().TrimStart().StartsWith("{"))
        {
            return Result<string>.Fail("RuleInvalid", "The rule must be a JSON object, or YAML sent with Content-Type: application/yaml.");
        }
        return Result<string>.Ok(text);
    }

    private static IResult NotFound(string id) => AdtErrors.ToResult("RuleNotFound", $"There is no rule with id '{id}'.");
}
