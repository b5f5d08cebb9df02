using System.Globalization;
using System.Text.Json.Nodes;
using Doppel.Modeling;
using Doppel.Query;
using Doppel.Server.Runtime;
using Doppel.Server.Security;
using Microsoft.Extensions.Options;

namespace Doppel.Server.Api;

/// <summary>ADT query (adt-api.md 3.8): POST /query with a query or a continuation token.</summary>
internal static class QueryEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/query", async (HttpRequest request, HttpResponse response, TwinRuntime runtime, QueryEngine engine, IOptions<DoppelServerOptions> options, CancellationToken ct) =>
        {
            var body = RequestBody.ExpectObject(await RequestBody.ReadJsonAsync(request, 64 * 1024, ct), "a query specification");
            if (!body.IsSuccess)
            {
                return AdtErrors.ToResult(body.Error);
            }
            var token = body.Value["continuationToken"] is JsonValue t && t.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;
            var text = body.Value["query"] is JsonValue q && q.TryGetValue<string>(out var query) ? query : null;
            if (text is null && token is null)
            {
                return AdtErrors.ToResult("MissingArgument", "The request body needs a \"query\" string (and, after the first page, the \"continuationToken\" the previous page returned).");
            }
            var size = Paging.PageSize(request, options.Value.MaxQueryPageSize);
            if (!size.IsSuccess)
            {
                return AdtErrors.ToResult(size.Error);
            }
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(options.Value.QueryTimeout);
            Result<QueryPage> page;
            try
            {
                page = engine.Execute(text, new TwinGraphQuerySource(runtime.Graph, dtmi => runtime.Models.SelfAndDescendants(new Dtmi(dtmi)).Select(d => d.Value).ToHashSet(StringComparer.Ordinal), TwinAccess.Visibility(request.HttpContext.Access(), runtime.Graph)), size.Value, token, timeout.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return AdtErrors.ToResult("TimeoutError", $"The query ran longer than {options.Value.QueryTimeout.TotalSeconds:0.###} s and was cancelled.");
            }
            if (!page.IsSuccess)
            {
                return AdtErrors.ToResult(page.Error);
            }
            response.Headers["query-charge"] = page.Value.Charge.ToString(CultureInfo.InvariantCulture);
            var rows = new JsonArray();
            foreach (var row in page.Value.Rows)
            {
                rows.Add(row);
            }
            return Responses.Json(new JsonObject { ["value"] = rows, ["continuationToken"] = page.Value.ContinuationToken });
        }).WithTags("Query").WithName("Query_QueryTwins");
    }
}
