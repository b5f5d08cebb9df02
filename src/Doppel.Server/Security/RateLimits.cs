using System.Globalization;
using System.Threading.RateLimiting;
using Doppel.Server.Api;
using Doppel.Server.Observability;
using Doppel.Server.Security.Internal;

namespace Doppel.Server.Security;

/// <summary>
/// Per-subject request budgets, as ADT meters its API: each subject (<see cref="Caller.SubjectOf"/>) has one budget for
/// queries (<c>POST /query</c>) and one for every other request, each refilled continuously up to one second's worth.
/// A request over budget gets ADT's 429 <c>QuotaReachedError</c> with <c>Retry-After</c> (whole seconds), is counted
/// (<c>doppel.http.throttled</c>) and does nothing else. <c>/health</c> and <c>/metrics</c> are never limited.
/// </summary>
/// <remarks>Runs after authentication (which ASP.NET puts first in the pipeline), so that the subject is known.</remarks>
internal static class RateLimits
{
    /// <summary>Registers the limiter: budgets from <paramref name="options"/>, time from <paramref name="time"/>.</summary>
    public static void Add(IServiceCollection services, DoppelServerOptions options, TimeProvider time)
    {
        services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, (bool Query, string Subject)>(context =>
            {
                var budget = Budget(context.Request);
                var perSecond = budget switch
                {
                    "queries" => options.QueriesPerSecond,
                    "requests" => options.RequestsPerSecond,
                    _ => 0,
                };
                return perSecond == 0
                    ? RateLimitPartition.GetNoLimiter((false, ""))
                    : RateLimitPartition.Get((budget == "queries", Caller.SubjectOf(context.User)), _ => new TokenBucket(perSecond, time));
            });
            limiter.OnRejected = (rejected, _) => RejectAsync(rejected.HttpContext, rejected.Lease, options);
        });
    }

    /// <summary>Which budget a request draws on: <c>queries</c>, <c>requests</c>, or null for none.</summary>
    private static string? Budget(HttpRequest request) =>
        request.Path.StartsWithSegments("/health") || request.Path.StartsWithSegments("/metrics") ? null
        : HttpMethods.IsPost(request.Method) && request.Path.Equals("/query", StringComparison.OrdinalIgnoreCase) ? "queries"
        : "requests";

    private static ValueTask RejectAsync(HttpContext context, RateLimitLease lease, DoppelServerOptions options)
    {
        var budget = Budget(context.Request) ?? "requests";
        // Retry-After is whole seconds; round up so that a client waiting that long finds a permit.
        var seconds = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 1;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        context.RequestServices.GetRequiredService<DoppelMetrics>().Throttled.Add(1, new KeyValuePair<string, object?>("budget", budget));
        var limit = budget == "queries" ? options.QueriesPerSecond : options.RequestsPerSecond;
        var subject = Caller.SubjectOf(context.User);
        return new ValueTask(AdtErrors.WriteAsync(context, new DoppelError(
            "QuotaReachedError",
            string.Create(CultureInfo.InvariantCulture, $"'{subject}' is over its budget of {limit} {budget} per second; retry after {seconds} s."))));
    }
}
