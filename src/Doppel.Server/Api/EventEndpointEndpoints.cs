using System.Text.Json.Nodes;
using Doppel.Server.Audit.Internal;
using Doppel.Server.Routing;
using Doppel.Server.Runtime;
using Doppel.Storage;

namespace Doppel.Server.Api;

/// <summary>
/// Doppel's data-plane endpoints (ADT defines them in its control plane): the webhooks and MQTT topics event routes deliver
/// to, with their delivery stats and dead letters.
/// </summary>
internal static class EventEndpointEndpoints
{
    private const int MaxPageSize = 1000;

    public static void Map(IEndpointRouteBuilder app)
    {
        var endpoints = app.MapGroup("/doppel/endpoints").WithTags("Endpoints");

        endpoints.MapGet("", (HttpRequest request, TwinRuntime runtime, EventDispatcher dispatcher) =>
        {
            var size = Paging.PageSize(request, MaxPageSize);
            var after = Paging.ResumeAfter(request);
            if (!size.IsSuccess || !after.IsSuccess)
            {
                return AdtErrors.ToResult(size.Error ?? after.Error!);
            }
            var items = runtime.EventEndpoints.Values.OrderBy(e => e.Name, StringComparer.Ordinal)
                .Where(e => after.Value is null || string.CompareOrdinal(e.Name, after.Value) > 0).Take(size.Value + 1).ToList();
            var page = items.Take(size.Value).ToList();
            return Responses.Page(page.Select(e => (JsonNode)WithStats(e, dispatcher)), items.Count > size.Value ? Paging.NextLink(request, page[^1].Name) : null);
        }).WithName("Endpoints_List");

        endpoints.MapGet("/{name}", (string name, TwinRuntime runtime, EventDispatcher dispatcher) =>
            runtime.EventEndpoints.TryGetValue(name, out var endpoint) ? Responses.Json(WithStats(endpoint, dispatcher)) : NotFound(name))
            .WithName("Endpoints_GetByName");

        endpoints.MapPut("/{name}", async (string name, HttpRequest request, TwinRuntime runtime, EventDispatcher dispatcher, CancellationToken ct) =>
        {
            var body = RequestBody.ExpectObject(await RequestBody.ReadJsonAsync(request, 64 * 1024, ct), "an endpoint");
            if (!body.IsSuccess)
            {
                return AdtErrors.ToResult(body.Error);
            }
            var endpoint = EventEndpoint.FromJson(name, body.Value);
            if (endpoint.IsSuccess)
            {
                endpoint = endpoint.Value.KeepingSecretsOf(runtime.EventEndpoints.GetValueOrDefault(name));
            }
            if (!endpoint.IsSuccess)
            {
                return AdtErrors.ToResult(endpoint.Error);
            }
            if (endpoint.Value.Type == EventEndpoint.Mqtt && !dispatcher.SupportsMqtt)
            {
                return AdtErrors.ToResult("EndpointInvalid", "This server has no MQTT publisher (the embedded broker or a bridge is not enabled), so it cannot deliver to MQTT endpoints.");
            }
            await runtime.Store.CommitAsync(new StoreBatch().PutEndpoint(name, endpoint.Value.ToStoredJson().ToJsonString()), CancellationToken.None);
            var created = runtime.EventEndpoints.TryAdd(name, endpoint.Value);
            runtime.EventEndpoints[name] = endpoint.Value;
            dispatcher.Upsert(endpoint.Value);
            var json = WithStats(endpoint.Value, dispatcher);
            return Responses.Json(json, status: created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
        }).WithName("Endpoints_Put").Audited("endpoint.put", "endpoint", AuditTargets.EndpointPut);

        endpoints.MapDelete("/{name}", async (string name, TwinRuntime runtime, EventDispatcher dispatcher) =>
        {
            if (!runtime.EventEndpoints.ContainsKey(name))
            {
                return NotFound(name);
            }
            var routes = runtime.EventRoutes.Values.Where(r => r.EndpointName == name).Select(r => r.Id).Order(StringComparer.Ordinal).ToList();
            if (routes.Count > 0)
            {
                return AdtErrors.ToResult("EndpointInUse", $"Endpoint '{name}' is used by event routes {string.Join(", ", routes)}; delete them first.");
            }
            await runtime.Store.CommitAsync(new StoreBatch().DeleteEndpoint(name), CancellationToken.None);
            runtime.EventEndpoints.TryRemove(name, out _);
            await dispatcher.RemoveAsync(name);
            return Responses.NoContent();
        }).WithName("Endpoints_Delete").Audited("endpoint.delete", "endpoint");

        endpoints.MapGet("/{name}/deadletters", (string name, HttpRequest request, TwinRuntime runtime, EventDispatcher dispatcher) =>
        {
            var size = Paging.PageSize(request, MaxPageSize);
            var after = Paging.ResumeAfter(request);
            if (!size.IsSuccess || !after.IsSuccess)
            {
                return AdtErrors.ToResult(size.Error ?? after.Error!);
            }
            long skip = 0;
            if (after.Value is not null && !long.TryParse(after.Value, out skip))
            {
                return AdtErrors.ToResult("BadRequest", "The continuation token is not valid.");
            }
            if (!runtime.EventEndpoints.ContainsKey(name) || dispatcher.DeadLetters(name, skip, size.Value) is not { } page)
            {
                return NotFound(name);
            }
            var next = page.More ? Paging.NextLink(request, (skip + page.Items.Count).ToString(System.Globalization.CultureInfo.InvariantCulture)) : null;
            return Responses.Page(page.Items, next);
        }).WithName("Endpoints_ListDeadLetters");
    }

    private static JsonObject WithStats(EventEndpoint endpoint, EventDispatcher dispatcher)
    {
        var json = endpoint.ToJson();
        json["stats"] = dispatcher.Stats(endpoint.Name);
        return json;
    }

    private static IResult NotFound(string name) => AdtErrors.ToResult("EndpointNotFound", $"There is no endpoint named '{name}'.");
}
