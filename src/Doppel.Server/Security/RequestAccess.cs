using Doppel.Security;
using Doppel.Server.Api;
using Doppel.Server.Observability;
using Doppel.Twins;

namespace Doppel.Server.Security;

/// <summary>The access rules of the request at hand (set by <see cref="AccessGate"/>), and ADT's 403 when they refuse.</summary>
internal static class RequestAccess
{
    /// <summary>The rules of the request's subject.</summary>
    public static AccessRules Access(this HttpContext context) =>
        context.Features.Get<AccessRules>() ?? throw new InvalidOperationException("The access gate did not run for this request.");

    /// <summary>ADT's 403 for a refused operation, counted by resource.</summary>
    public static IResult Deny(HttpContext context, Resource resource, Access access, string? what)
    {
        context.RequestServices.GetRequiredService<DoppelMetrics>().Denied.Add(1, new KeyValuePair<string, object?>("resource", resource.Name()));
        return AdtErrors.ToResult(new DoppelError("Forbidden", Message(context, resource, access, what)), StatusCodes.Status403Forbidden);
    }

    public static Task DenyAsync(HttpContext context, Resource resource, Access access, string? what)
    {
        context.RequestServices.GetRequiredService<DoppelMetrics>().Denied.Add(1, new KeyValuePair<string, object?>("resource", resource.Name()));
        return AdtErrors.WriteAsync(context, new DoppelError("Forbidden", Message(context, resource, access, what)), StatusCodes.Status403Forbidden);
    }

    /// <summary>Null when the subject may do this with the twin's resource, else the 403.</summary>
    public static IResult? Check(HttpContext context, Resource resource, Access access, TwinDocument twin) =>
        context.Access().Allows(resource, access, new TwinView(twin)) ? null : Deny(context, resource, access, $"twin '{twin.Id}'");

    private static string Message(HttpContext context, Resource resource, Access access, string? what)
    {
        var verb = access == Doppel.Security.Access.Read ? "read" : "write";
        var subject = Caller.SubjectOf(context.User);
        return what is null
            ? $"{subject} may not {verb} {resource.Name()}: neither its role nor a policy grants it."
            : $"{subject} may not {verb} the {resource.Name()} of {what}: neither its role nor a policy grants it, or a policy revokes it.";
    }
}
