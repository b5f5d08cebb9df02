using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Doppel.Rules;
using Doppel.Server.Audit.Internal;
using Doppel.Server.Runtime;
using Doppel.Server.Security;
using Doppel.Storage;

namespace Doppel.Server.Api;

/// <summary>ADT event routes CRUD (adt-api.md 3.9): filters are parsed when a route is put; delivery is <see cref="Routing.EventDispatcher"/>'s.</summary>
internal static partial class EventRouteEndpoints
{
    private const int MaxPageSize = 1000;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,49}$")]
    private static partial Regex RouteId();

    public static void Map(IEndpointRouteBuilder app)
    {
        var routes = app.MapGroup("/eventroutes").WithTags("EventRoutes");

        routes.MapGet("", (HttpRequest request, TwinRuntime runtime) =>
        {
            var size = Paging.PageSize(request, MaxPageSize);
            var after = Paging.ResumeAfter(request);
            if (!size.IsSuccess || !after.IsSuccess)
            {
                return AdtErrors.ToResult(size.Error ?? after.Error!);
            }
            var items = runtime.EventRoutes.Values.OrderBy(r => r.Id, StringComparer.Ordinal)
                .Where(r => after.Value is null || string.CompareOrdinal(r.Id, after.Value) > 0).Take(size.Value + 1).ToList();
            var page = items.Take(size.Value).ToList();
            return Responses.Page(page.Select(r => (JsonNode)r.ToJson()), items.Count > size.Value ? Paging.NextLink(request, page[^1].Id) : null);
        }).WithName("EventRoutes_List");

        routes.MapGet("/{id}", (string id, TwinRuntime runtime) =>
            runtime.EventRoutes.TryGetValue(id, out var route) ? Responses.Json(route.ToJson()) : NotFound(id))
            .WithName("EventRoutes_GetById");

        routes.MapPut("/{id}", async (string id, HttpRequest request, TwinRuntime runtime, CancellationToken ct) =>
        {
            if (!RouteId().IsMatch(id))
            {
                return AdtErrors.ToResult("EventRouteIdInvalid", $"Event route id '{id}' must be 1 to 50 letters, digits, '-' or '_', starting with a letter or digit.");
            }
            var body = RequestBody.ExpectObject(await RequestBody.ReadJsonAsync(request, 64 * 1024, ct), "an event route");
            if (!body.IsSuccess)
            {
                return AdtErrors.ToResult(body.Error);
            }
            var endpoint = body.Value["endpointName"] is JsonValue e && e.TryGetValue<string>(out var name) && name.Trim().Length > 0 ? name : null;
            if (endpoint is null)
            {
                return AdtErrors.ToResult("EventRouteEndpointInvalid", "The event route needs a non-empty \"endpointName\" string.");
            }
            var filter = body.Value["filter"] is JsonValue f && f.TryGetValue<string>(out var text) && text.Trim().Length > 0 ? text : null;
            if (filter is null)
            {
                return AdtErrors.ToResult("EventRouteFilterInvalid", "The event route needs a non-empty \"filter\" string (\"true\" routes every event).");
            }
            var compiled = EventFilter.Parse(filter);
            if (!compiled.IsSuccess)
            {
                return AdtErrors.ToResult(compiled.Error);
            }
            // As ADT: a route must name an existing endpoint (PUT /doppel/endpoints/{name} first).
            if (!runtime.EventEndpoints.ContainsKey(endpoint))
            {
                return AdtErrors.ToResult("EventRouteEndpointInvalid", $"There is no endpoint named '{endpoint}'; create it with PUT /doppel/endpoints/{endpoint} first.");
            }
            var route = new EventRoute(id, endpoint, filter) { CompiledFilter = compiled.Value, CreatedBy = DoppelAuthentication.SubjectOf(request.HttpContext.User) };
            await runtime.Store.CommitAsync(new StoreBatch().PutEventRoute(id, route.ToJson().ToJsonString()), CancellationToken.None);
            runtime.EventRoutes[id] = route;
            return Responses.NoContent();
        }).WithName("EventRoutes_Add").Audited("route.put", "route", AuditTargets.RoutePut);

        routes.MapDelete("/{id}", async (string id, TwinRuntime runtime) =>
        {
            if (!runtime.EventRoutes.ContainsKey(id))
            {
                return NotFound(id);
            }
            await runtime.Store.CommitAsync(new StoreBatch().DeleteEventRoute(id), CancellationToken.None);
            runtime.EventRoutes.TryRemove(id, out _);
            return Responses.NoContent();
        }).WithName("EventRoutes_Delete").Audited("route.delete", "route");
    }

    private static IResult NotFound(string id) => AdtErrors.ToResult("EventRouteNotFound", $"There is no event route with id '{id}'.");
}
