namespace Doppel.Server.Audit.Internal;

/// <summary>Marks a change endpoint as audited: <c>.Audited("twin.patch", "twin", AuditTargets.JsonPatch)</c>.</summary>
internal static class AuditRoutes
{
    /// <param name="route">The endpoint.</param>
    /// <param name="action">What the endpoint does: the resource kind, a dot, the verb (<c>twin.patch</c>).</param>
    /// <param name="resourceKind">The kind of resource it changes.</param>
    /// <param name="describe">Which resources it changed and how; default the route's id and no summary.</param>
    public static RouteHandlerBuilder Audited(this RouteHandlerBuilder route, string action, string resourceKind, AuditTargets.Describe? describe = null) =>
        route.AddEndpointFilter(new AuditFilter(action, resourceKind, describe ?? AuditTargets.RouteId));
}
