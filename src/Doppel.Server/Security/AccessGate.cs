using Doppel.Security;
using Doppel.Server.Api;
using Doppel.Server.Observability;
using Microsoft.AspNetCore.Authentication;

namespace Doppel.Server.Security;

/// <summary>
/// The first check of every request, after authentication: who it is (401 when nobody), and whether its rules allow the
/// kind of operation at all (403 in ADT's shape, counted). Handlers then check the twin at hand through
/// <see cref="RequestAccess"/>. Every route is listed here; one that is not needs the owner role, so a new endpoint is
/// closed until it is classified.
/// </summary>
internal static class AccessGate
{
    /// <summary>What a route needs: nothing, a signed-in subject, a resource and access, or a role.</summary>
    internal readonly record struct Need(bool Open, Resource? Resource, Access Access, Role? MinRole, Access OnEveryTwin = Access.None)
    {
        public static Need Nothing => new(true, null, Access.None, null);

        public static Need SignedIn => new(false, null, Access.None, null);

        public static Need To(Resource resource, Access access) => new(false, resource, access, null);

        public static Need Role(Role role) => new(false, null, Access.None, role);

        /// <summary>Bulk writes (imports, samples) touch any twin: models, twins and relationships writable everywhere, no policy narrowing them.</summary>
        public static Need BulkWrite => new(false, Doppel.Security.Resource.Models, Access.Write, null, Access.Write);

        /// <summary>Simulations fork the live state of any twin they name, so they need every twin readable.</summary>
        public static Need SimulateLive => new(false, Doppel.Security.Resource.Simulations, Access.Write, null, Access.Read);
    }

    public static async Task Enforce(HttpContext context, RequestDelegate next)
    {
        var need = NeedOf(context.Request.Method, (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText);
        if (need.Open)
        {
            await next(context);
            return;
        }
        if (DoppelAuthentication.SubjectOf(context.User) is not { } subject)
        {
            await context.ChallengeAsync();
            return;
        }
        var rules = context.RequestServices.GetRequiredService<Policies>().RulesFor(subject);
        context.Features.Set(rules);
        if (need.Resource is { } resource && !rules.Allows(resource, need.Access))
        {
            await RequestAccess.DenyAsync(context, resource, need.Access, null);
            return;
        }
        if (need.OnEveryTwin != Access.None && !(rules.AllowsEverywhere(Resource.Twins, need.OnEveryTwin) && rules.AllowsEverywhere(Resource.Relationships, need.OnEveryTwin)))
        {
            context.RequestServices.GetRequiredService<DoppelMetrics>().Denied.Add(1, new KeyValuePair<string, object?>("resource", "twins"));
            var why = need.OnEveryTwin == Access.Write
                ? "a bulk write may touch any twin, so it needs write access to every twin and relationship"
                : "a simulation forks the live state of the twins it names, so it needs read access to every twin and relationship";
            await AdtErrors.WriteAsync(context, new DoppelError("Forbidden",
                $"{subject.Id} may not {context.Request.Method} {context.Request.Path}: {why}, which its role or a policy withholds."), StatusCodes.Status403Forbidden);
            return;
        }
        if (need.MinRole is { } role && rules.Role < role)
        {
            context.RequestServices.GetRequiredService<DoppelMetrics>().Denied.Add(1, new KeyValuePair<string, object?>("resource", "operation"));
            await AdtErrors.WriteAsync(context, new DoppelError("Forbidden", $"{subject.Id} may not {context.Request.Method} {context.Request.Path}: it needs the {role.Name()} role."), StatusCodes.Status403Forbidden);
            return;
        }
        await next(context);
    }

    /// <summary>What a route (its pattern, as mapped) needs for a method.</summary>
    internal static Need NeedOf(string method, string? route)
    {
        var read = HttpMethods.IsGet(method) || HttpMethods.IsHead(method);
        var access = read ? Access.Read : Access.Write;
        if (route is null)
        {
            // No endpoint matched: the fallback answers 404 to signed-in subjects.
            return Need.SignedIn;
        }
        route = "/" + route.TrimStart('/');
        return route switch
        {
            "/" or "/health" or "/doppel/auth/config" => Need.Nothing,
            // The console's files are public static assets: the data they show comes from the API, which checks the credential.
            _ when route.StartsWith("/console/", StringComparison.Ordinal) => Need.Nothing,
            // The status page shows the figures /metrics exports, as JSON.
            _ when route.StartsWith("/openapi", StringComparison.Ordinal) || route == "/metrics" || route == "/doppel/status" || route == "/doppel/auth/whoami" => Need.SignedIn,
            _ when route.StartsWith("/models", StringComparison.Ordinal) => Need.To(Resource.Models, access),
            _ when route.StartsWith("/digitaltwins/{id}/relationships", StringComparison.Ordinal) || route.StartsWith("/digitaltwins/{id}/incomingrelationships", StringComparison.Ordinal)
                => Need.To(Resource.Relationships, access),
            _ when route.StartsWith("/digitaltwins/", StringComparison.Ordinal) && route.EndsWith("/telemetry", StringComparison.Ordinal) => Need.To(Resource.Telemetry, Access.Write),
            _ when route.StartsWith("/digitaltwins/{id}/components", StringComparison.Ordinal) => Need.To(Resource.Properties, access),
            // A patch changes properties: rights on some properties are enough to try; the handler checks each one.
            _ when route.StartsWith("/digitaltwins", StringComparison.Ordinal) => Need.To(HttpMethods.IsPatch(method) ? Resource.Properties : Resource.Twins, access),
            "/query" => Need.To(Resource.Twins, Access.Read),
            // The graph is a query's twins and their relationships, filtered per subject as queries are.
            _ when route.StartsWith("/doppel/graph", StringComparison.Ordinal) => Need.To(Resource.Twins, Access.Read),
            _ when route.StartsWith("/eventroutes", StringComparison.Ordinal) || route.StartsWith("/doppel/endpoints", StringComparison.Ordinal)
                || route.StartsWith("/doppel/mappings", StringComparison.Ordinal) => Need.To(Resource.Routes, access),
            _ when route.StartsWith("/doppel/history/twins", StringComparison.Ordinal) => Need.To(Resource.Properties, Access.Read),
            "/doppel/history/aggregates" => Need.To(Resource.Telemetry, Access.Read),
            // GET streams the export back (limited to the twins the caller may read); POST writes a file on the server's disk.
            "/doppel/history/export" => read ? Need.To(Resource.Telemetry, Access.Read) : Need.Role(Role.Owner),
            // Retention, downsampling and compaction delete history: the owner's decision.
            _ when route.StartsWith("/doppel/history", StringComparison.Ordinal) => read ? Need.To(Resource.Telemetry, Access.Read) : Need.Role(Role.Owner),
            "/doppel/ingest" => Need.To(Resource.Telemetry, Access.Write),
            _ when route.StartsWith("/doppel/deadletters", StringComparison.Ordinal) => Need.To(Resource.Routes, Access.Read),
            _ when route.StartsWith("/jobs/imports", StringComparison.Ordinal) => read ? Need.To(Resource.Twins, Access.Read) : Need.BulkWrite,
            _ when route.StartsWith("/jobs/deletions", StringComparison.Ordinal) => read ? Need.To(Resource.Twins, Access.Read) : Need.Role(Role.Owner),
            // Loading a sample writes models and twins.
            _ when route.StartsWith("/doppel/samples", StringComparison.Ordinal) && !read => Need.BulkWrite,
            _ when route.StartsWith("/doppel/packs", StringComparison.Ordinal) && !read => Need.To(Resource.Models, Access.Write),
            "/doppel/scenarios" or "/doppel/experiments" when !read => Need.SimulateLive,
            _ when route.StartsWith("/doppel/scenarios", StringComparison.Ordinal) || route.StartsWith("/doppel/experiments", StringComparison.Ordinal)
                || route.StartsWith("/doppel/runs", StringComparison.Ordinal) || route.StartsWith("/doppel/packs", StringComparison.Ordinal)
                || route.StartsWith("/doppel/samples", StringComparison.Ordinal) => Need.To(Resource.Simulations, access),
            // Events are filtered per subject as they are sent.
            _ when route.StartsWith("/doppel/streams", StringComparison.Ordinal) || route.StartsWith("/doppel/hubs", StringComparison.Ordinal) => Need.To(Resource.Twins, Access.Read),
            _ when route.StartsWith("/doppel/auth/keys", StringComparison.Ordinal) => Need.To(Resource.Keys, access),
            _ when route.StartsWith("/doppel/auth/policies", StringComparison.Ordinal) => Need.To(Resource.Policies, access),
            _ when route.StartsWith("/doppel/audit", StringComparison.Ordinal) => Need.To(Resource.Audit, Access.Read),
            // A backtest is a POST that reads history, but it is the rule editor's: rules write access.
            _ when route.StartsWith("/doppel/rules", StringComparison.Ordinal) => Need.To(Resource.Rules, access),
            // Evaluating is a POST that only reads; explaining also reads the twin's telemetry, which the handler checks.
            "/doppel/predictors/{name}/evaluate" => Need.To(Resource.Predictors, Access.Read),
            _ when route.StartsWith("/doppel/predictors", StringComparison.Ordinal) => Need.To(Resource.Predictors, access),
            // An alert is its twin's: the handler checks the twin (read to see it, write to acknowledge or resolve it).
            _ when route.StartsWith("/doppel/alerts", StringComparison.Ordinal) => Need.To(Resource.Twins, access),
            _ => Need.Role(Role.Owner),
        };
    }
}
