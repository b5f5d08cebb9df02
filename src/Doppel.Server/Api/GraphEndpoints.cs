using System.Globalization;
using System.Text.Json.Nodes;
using Doppel.Modeling;
using Doppel.Query;
using Doppel.Security;
using Doppel.Server.Runtime;
using Doppel.Server.Security;
using Doppel.Twins;
using Microsoft.Extensions.Options;

namespace Doppel.Server.Api;

/// <summary>
/// The twin graph as nodes and edges, for drawing: the twins a query returns with the relationships among them
/// (<c>GET /doppel/graph</c>), and one twin's neighbours (<c>GET /doppel/graph/twins/{id}/neighbours</c>). Both see
/// exactly what the caller's queries see: hidden twins and relationships are absent, hidden properties removed.
/// </summary>
internal static class GraphEndpoints
{
    /// <summary>The most nodes one answer holds; a browser draws a few thousand, not more.</summary>
    public const int MaxNodes = 10_000;

    public const int DefaultNodes = 2_000;

    public static void Map(IEndpointRouteBuilder app)
    {
        var graph = app.MapGroup("/doppel/graph").WithTags("Graph");

        graph.MapGet("", (HttpRequest request, TwinRuntime runtime, QueryEngine engine, IOptions<DoppelServerOptions> options, CancellationToken ct) =>
        {
            var text = request.Query["query"].ToString();
            if (string.IsNullOrWhiteSpace(text))
            {
                return AdtErrors.ToResult("MissingArgument", "The 'query' parameter is required: an ADT query whose rows hold twins, such as SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL('dtmi:example:Pump;1').");
            }
            var max = Max(request);
            if (!max.IsSuccess)
            {
                return AdtErrors.ToResult(max.Error);
            }
            var visibility = TwinAccess.Visibility(request.HttpContext.Access(), runtime.Graph);
            var source = new TwinGraphQuerySource(runtime.Graph, dtmi => runtime.Models.SelfAndDescendants(new Dtmi(dtmi)).Select(d => d.Value).ToHashSet(StringComparer.Ordinal), visibility);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(options.Value.QueryTimeout);
            Result<Selection> selection;
            try
            {
                selection = Select(engine, text, source, max.Value, timeout.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return AdtErrors.ToResult("TimeoutError", $"The query ran longer than {options.Value.QueryTimeout.TotalSeconds:0.###} s and was cancelled.");
            }
            if (!selection.IsSuccess)
            {
                return AdtErrors.ToResult(selection.Error);
            }
            var nodes = selection.Value.Twins;
            var edges = new JsonArray();
            foreach (var id in nodes.Keys)
            {
                foreach (var r in runtime.Graph.Outgoing(id))
                {
                    if (nodes.ContainsKey(r.TargetId) && (visibility?.Relationship(r) ?? true))
                    {
                        edges.Add(Edge(r));
                    }
                }
            }
            return Responses.Json(new JsonObject
            {
                ["nodes"] = new JsonArray([.. nodes.Values.Select(Node)]),
                ["edges"] = edges,
                ["truncated"] = selection.Value.Truncated,
            });
        }).WithName("Graph_Query");

        graph.MapGet("/twins/{id}/neighbours", (string id, HttpContext context, TwinRuntime runtime) =>
        {
            if (!runtime.Graph.TryGetTwin(id, out var twin))
            {
                return AdtErrors.ToResult("DigitalTwinNotFound", $"There is no digital twin with id '{id}'.");
            }
            if (TwinAccess.Check(context, Resource.Twins, Access.Read, twin) is { } denied)
            {
                return denied;
            }
            var max = Max(context.Request);
            if (!max.IsSuccess)
            {
                return AdtErrors.ToResult(max.Error);
            }
            var visibility = TwinAccess.Visibility(context.Access(), runtime.Graph);
            var nodes = new Dictionary<string, JsonObject>(StringComparer.Ordinal) { [id] = Visible(twin, visibility)! };
            var edges = new List<RelationshipDocument>();
            var seen = new HashSet<(string, string)>();
            var truncated = false;
            // The twin's own relationships, out then in; a neighbour the caller may not read is absent with its edge.
            foreach (var r in runtime.Graph.Outgoing(id).Concat(runtime.Graph.Incoming(id)))
            {
                var other = r.SourceId == id ? r.TargetId : r.SourceId;
                if (!(visibility?.Relationship(r) ?? true) || !runtime.Graph.TryGetTwin(other, out var neighbour))
                {
                    continue;
                }
                if (!nodes.ContainsKey(other))
                {
                    if (Visible(neighbour, visibility) is not { } json)
                    {
                        continue;
                    }
                    if (nodes.Count >= max.Value)
                    {
                        truncated = true;
                        continue;
                    }
                    nodes[other] = json;
                }
                // A relationship of the twin to itself is both outgoing and incoming.
                if (seen.Add((r.SourceId, r.Id)))
                {
                    edges.Add(r);
                }
            }
            // And the relationships among the neighbours, so that a drawing of them is complete.
            foreach (var neighbourId in nodes.Keys)
            {
                if (neighbourId == id)
                {
                    continue;
                }
                foreach (var r in runtime.Graph.Outgoing(neighbourId))
                {
                    if (r.TargetId != id && nodes.ContainsKey(r.TargetId) && (visibility?.Relationship(r) ?? true))
                    {
                        edges.Add(r);
                    }
                }
            }
            return Responses.Json(new JsonObject
            {
                ["nodes"] = new JsonArray([.. nodes.Values.Select(Node)]),
                ["edges"] = new JsonArray([.. edges.Select(Edge)]),
                ["truncated"] = truncated,
            });
        }).WithName("Graph_Neighbours");
    }

    /// <summary>The twins a query's rows hold (a row that is a twin, or a row's members that are), in row order.</summary>
    private sealed record Selection(Dictionary<string, JsonObject> Twins, bool Truncated);

    private static Result<Selection> Select(QueryEngine engine, string text, IQuerySource source, int max, CancellationToken ct)
    {
        var twins = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        string? token = null;
        var rows = 0;
        do
        {
            var page = engine.Execute(token is null ? text : null, source, engine.Limits.MaxPageSize, token, ct);
            if (!page.IsSuccess)
            {
                return page.Error;
            }
            foreach (var row in page.Value.Rows)
            {
                rows++;
                foreach (var twin in TwinsOf(row))
                {
                    var id = (string)twin["$dtId"]!;
                    if (twins.ContainsKey(id))
                    {
                        continue;
                    }
                    if (twins.Count == max)
                    {
                        return Result<Selection>.Ok(new Selection(twins, Truncated: true));
                    }
                    twins[id] = twin;
                }
            }
            token = page.Value.ContinuationToken;
        }
        while (token is not null);
        if (rows > 0 && twins.Count == 0)
        {
            return new DoppelError("InvalidArgument",
                "The query's rows hold no twins, so there is nothing to draw: select whole twins (SELECT * or SELECT T, or the twins of a JOIN), not property values or COUNT().");
        }
        return Result<Selection>.Ok(new Selection(twins, Truncated: false));
    }

    private static IEnumerable<JsonObject> TwinsOf(JsonNode row)
    {
        if (row is not JsonObject json)
        {
            yield break;
        }
        if (IsTwin(json))
        {
            yield return json;
            yield break;
        }
        foreach (var (_, member) in json)
        {
            if (member is JsonObject twin && IsTwin(twin))
            {
                yield return twin;
            }
        }
    }

    private static bool IsTwin(JsonObject json) => json["$dtId"] is JsonValue id && id.TryGetValue<string>(out _) && json["$metadata"] is JsonObject;

    private static JsonObject? Visible(TwinDocument twin, TwinVisibility? visibility) =>
        visibility is null ? twin.ToJson()
        : !visibility.Twin(twin) ? null
        : visibility.Redact?.Invoke(twin) ?? twin.ToJson();

    /// <summary>A node: the twin's id, model and properties (components as objects), without ADT's metadata.</summary>
    private static JsonNode Node(JsonObject twin)
    {
        var properties = new JsonObject();
        foreach (var (name, value) in twin)
        {
            if (!name.StartsWith('$'))
            {
                properties[name] = value?.DeepClone();
            }
        }
        return new JsonObject
        {
            ["id"] = (string)twin["$dtId"]!,
            ["model"] = (string?)twin["$metadata"]?["$model"],
            ["properties"] = properties,
        };
    }

    /// <summary>An edge: the relationship's id (unique among its source's relationships), its ends and its name.</summary>
    private static JsonNode Edge(RelationshipDocument r) => new JsonObject
    {
        ["id"] = r.Id,
        ["source"] = r.SourceId,
        ["target"] = r.TargetId,
        ["name"] = r.Name,
    };

    private static Result<int> Max(HttpRequest request)
    {
        var text = request.Query["max"].ToString();
        if (text.Length == 0)
        {
            return Result<int>.Ok(DefaultNodes);
        }
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var max) && max is > 0 and <= MaxNodes
            ? Result<int>.Ok(max)
            : Result<int>.Fail(new DoppelError("InvalidArgument", $"The 'max' parameter must be a whole number of nodes from 1 to {MaxNodes}, got '{text}'."));
    }
}
