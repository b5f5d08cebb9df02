namespace Doppel.Server.Api;

/// <summary>Every ADT data-plane request names an api-version; Doppel accepts the stable ones and the previews and behaves as 2023-10-31.</summary>
internal static class ApiVersions
{
    public static readonly string[] Supported = ["2020-10-31", "2022-05-31", "2023-06-30", "2023-10-31", "2021-06-30-preview", "2023-02-27-preview"];

    public const string Latest = "2023-10-31";

    /// <summary>Paths outside the ADT surface that need no api-version.</summary>
    private static readonly string[] Exempt = ["/openapi", "/health", "/doppel", "/metrics", "/console/"];

    public static async Task Enforce(HttpContext context, RequestDelegate next)
    {
        var path = context.Request.Path.Value ?? "/";
        // "/" says what this server is (RootEndpoint), to a browser too; every ADT route still needs api-version.
        if (path != "/" && !Exempt.Any(p => path.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
        {
            var version = context.Request.Query["api-version"].ToString();
            if (version.Length == 0)
            {
                await AdtErrors.WriteAsync(context, new DoppelError("MissingArgument", "The api-version query parameter is required; supported versions: " + string.Join(", ", Supported) + "."));
                return;
            }
            if (!Supported.Contains(version, StringComparer.Ordinal))
            {
                await AdtErrors.WriteAsync(context, new DoppelError("InvalidArgument", $"Unsupported api-version '{version}'; supported versions: {string.Join(", ", Supported)}."));
                return;
            }
        }
        await next(context);
    }
}
