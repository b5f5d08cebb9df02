using System.Globalization;
using System.Text.Json.Nodes;
using Doppel.Ingest;
using Doppel.Server.Observability;
using Doppel.Server.Runtime;
using Doppel.Storage;
using Microsoft.Extensions.Options;

namespace Doppel.Server.Api;

/// <summary>
/// <c>GET /doppel/status</c>: what an operator watches, as JSON: twins and models, device messages by outcome and
/// source, points stored, dead letters, history's size, open alerts, and every instrument of the <c>Doppel</c> meter with its totals
/// since start (the figures <c>/metrics</c> exports). Rates are the difference of two readings over their times.
/// </summary>
internal static class StatusEndpoints
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/doppel/status", async (TwinRuntime runtime, MetricTotals totals, IOptions<DoppelServerOptions> options, CancellationToken ct) =>
        {
            var deadLetters = await runtime.DeadLetters.ReadDeadLettersAsync(new DeadLetterQuery(PageSize: 1), ct);
            var points = await runtime.History.CountAsync(ct);
            var folder = Path.GetFullPath(options.Value.DataDirectory);
            // First, so that the gauges read below are of now.
            var metrics = totals.Snapshot();
            return Responses.Json(new JsonObject
            {
                ["version"] = RootEndpoint.Version,
                ["time"] = runtime.Time.GetUtcNow().UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
                ["twins"] = runtime.Graph.TwinCount,
                ["models"] = runtime.Models.Count,
                ["ingest"] = new JsonObject
                {
                    ["messages"] = Object(totals.By("doppel.ingest.messages", "outcome")),
                    ["bySource"] = Object(totals.By("doppel.ingest.messages", "source")),
                    ["points"] = totals.Total("doppel.ingest.points"),
                    ["deadLetters"] = Object(totals.By("doppel.ingest.dead_letters", "reason")),
                },
                ["deadLetters"] = new JsonObject { ["total"] = deadLetters.Total },
                ["history"] = new JsonObject
                {
                    ["points"] = points,
                    ["bytes"] = FileSize(folder, DuckDbHistoryStore.FileName) + FileSize(folder, DuckDbHistoryStore.FileName + ".wal"),
                    ["queue"] = runtime.HistoryQueueDepth,
                },
                ["events"] = new JsonObject { ["dropped"] = runtime.Events.TotalDropped },
                ["alerts"] = new JsonObject
                {
                    ["open"] = totals.Total("doppel.alerts.open"),
                    ["raised"] = Object(totals.By("doppel.alerts.raised", "severity")),
                },
                ["metrics"] = metrics,
            });
        }).WithTags("Status").WithName("Status_Get");

    private static JsonObject Object(IReadOnlyDictionary<string, double> values)
    {
        var json = new JsonObject();
        foreach (var (key, value) in values)
        {
            json[key] = value;
        }
        return json;
    }

    private static long FileSize(string folder, string name)
    {
        var file = new FileInfo(Path.Combine(folder, name));
        return file.Exists ? file.Length : 0;
    }
}
