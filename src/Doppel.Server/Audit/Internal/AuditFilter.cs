using Doppel.Server.Security;

namespace Doppel.Server.Audit.Internal;

/// <summary>
/// Records an audited endpoint's request once the handler has answered and before the answer is sent: the record is
/// durable when the client sees the status, whatever the status (a refused change is recorded too).
/// </summary>
internal sealed class AuditFilter(string action, string resourceKind, AuditTargets.Describe describe) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var log = http.RequestServices.GetRequiredService<AuditLog>();
        if (!log.Enabled)
        {
            return await next(context);
        }
        var body = new AuditedBody();
        http.Features.Set(body);
        var result = await next(context);
        var status = result is IStatusCodeHttpResult { StatusCode: int code } ? code : StatusCodes.Status200OK;
        var targets = describe(new AuditTargets.Request(http, body.Bytes, result, status));
        await log.RecordAsync(Caller.SubjectOf(http.User), action, resourceKind, targets, status);
        return result;
    }
}
