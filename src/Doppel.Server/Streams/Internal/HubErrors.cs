using Microsoft.AspNetCore.SignalR;

namespace Doppel.Server.Streams.Internal;

/// <summary>
/// SignalR logs every failed hub call as an error, including a <see cref="HubException"/> that only tells a client its
/// filter is bad. Its dispatcher's log is therefore muted, and this filter logs the failures that are real faults.
/// </summary>
internal sealed class HubErrors(ILogger<EventHub> logger) : IHubFilter
{
    public const string DispatcherCategory = "Microsoft.AspNetCore.SignalR.Internal.DefaultHubDispatcher";

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(invocationContext);
        }
        catch (Exception e) when (e is not HubException and not OperationCanceledException)
        {
            logger.HubMethodFailed(e, invocationContext.HubMethodName);
            throw;
        }
    }
}
