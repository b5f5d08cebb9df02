using System.Text.Json.Nodes;
using Doppel.History;
using Doppel.Modeling;
using Doppel.Rules.Internal;
using Doppel.Twins;

namespace Doppel.Rules;

/// <summary>What a rule would have done over a time range of history.</summary>
/// <param name="From">Start of the range.</param>
/// <param name="To">End of the range.</param>
/// <param name="Twins">Twins in the rule's scope (as of now).</param>
/// <param name="Fired">Alerts it would have raised.</param>
/// <param name="Alerts">Those alerts, oldest first (at most <see cref="RuleBacktest.MaxAlerts"/>).</param>
/// <param name="ByTwin">How many per twin, most first.</param>
public sealed record BacktestResult(DateTimeOffset From, DateTimeOffset To, int Twins, int Fired, IReadOnlyList<BacktestAlert> Alerts, IReadOnlyList<(string TwinId, int Count)> ByTwin)
{
    public JsonObject ToJson() => new()
    {
        ["from"] = Alert.Time(From),
        ["to"] = Alert.Time(To),
        ["twins"] = Twins,
        ["fired"] = Fired,
        ["alerts"] = new JsonArray([.. Alerts.Select(a => (JsonNode)new JsonObject
        {
            ["twinId"] = a.TwinId,
            ["raisedTime"] = Alert.Time(a.RaisedTime),
            ["resolvedTime"] = a.ResolvedTime is { } r ? Alert.Time(r) : null,
            ["value"] = a.Value?.DeepClone(),
        })]),
        ["byTwin"] = new JsonArray([.. ByTwin.Select(b => (JsonNode)new JsonObject { ["twinId"] = b.TwinId, ["count"] = b.Count })]),
    };
}

/// <summary>One alert a backtest found; <see cref="ResolvedTime"/> is null when it was still open at the end.</summary>
public sealed record BacktestAlert(string TwinId, DateTimeOffset RaisedTime, DateTimeOffset? ResolvedTime, JsonNode? Value);

/// <summary>
/// Replays history through the same rule engine on a clock driven by the points' times: the twins in the rule's scope
/// now, their properties and telemetry from history (starting from where they stood), durations, absences and
/// windows firing at the times they would have.
/// </summary>
public static class RuleBacktest
{
    public const int MaxAlerts = 10_000;

    public static async Task<BacktestResult> RunAsync(AlertRule rule, TwinGraph graph, ModelCatalog models, IHistoryStore history, DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(history);
        var warmUp = from - rule.LongestWindow;
        var clock = new ReplayClock(warmUp);
        var found = new List<(string TwinId, DateTimeOffset Raised, DateTimeOffset? Resolved, JsonNode? Value)>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var fired = 0;
        using var engine = new RuleEngine(graph, models, clock, change =>
        {
            var alert = change.Alert;
            if (change.Type == AlertEventTypes.Raised && alert.Transitions.Count == 1 && alert.RaisedTime >= from)
            {
                fired++;
                if (found.Count < MaxAlerts)
                {
                    index[alert.Id] = found.Count;
                    found.Add((alert.TwinId, alert.RaisedTime, null, alert.Value?.DeepClone()));
                }
            }
            else if (change.Type == AlertEventTypes.Resolved && index.TryGetValue(alert.Id, out var at))
            {
                found[at] = found[at] with { Resolved = alert.Resolved?.Time };
            }
            else if (change.Type == AlertEventTypes.Raised && index.TryGetValue(alert.Id, out var reopened))
            {
                found[reopened] = found[reopened] with { Resolved = null };
            }
        }, null, null, replay: true);
        engine.Put(rule.Stamped(rule.ETag, rule.CreatedTime, rule.LastUpdatedTime));
        var scope = graph.Twins.Where(t => engine.Covers(engine.Rules[0], t)).Select(t => t.Id).ToList();
        // An absence of any telemetry needs every name; otherwise only what the rule reads.
        List<string> names = rule.Functions.Any(f => f.Kind == RuleFunctionKind.Absent && f.Name is null) ? [] : [.. rule.DocumentNames];
        if (scope.Count > 0)
        {
            // Where the twins stood when the replay starts, then every point after it in time order.
            foreach (var group in (await history.LatestAtAsync(scope, names, warmUp, ct)).GroupBy(p => p.TwinId))
            {
                if (graph.TryGetTwin(group.Key, out var twin))
                {
                    engine.OnPoints(twin, [.. group]);
                }
            }
            HistoryCursor? after = null;
            do
            {
                var page = await history.ReadAsync(new HistoryRead(scope, names, warmUp, to, 10_000, after), ct);
                foreach (var point in page.Points)
                {
                    clock.AdvanceTo(point.Time);
                    if (graph.TryGetTwin(point.TwinId, out var twin))
                    {
                        engine.OnPoints(twin, [point]);
                    }
                }
                after = page.Next;
            }
            while (after is not null);
        }
        clock.AdvanceTo(to);
        var byTwin = found.GroupBy(a => a.TwinId).Select(g => (g.Key, g.Count())).OrderByDescending(g => g.Item2).ThenBy(g => g.Key, StringComparer.Ordinal).ToList();
        return new BacktestResult(from, to, scope.Count, fired, [.. found.Select(a => new BacktestAlert(a.TwinId, a.Raised, a.Resolved, a.Value))], byTwin);
    }
}
