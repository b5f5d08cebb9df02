using System.Reflection;
using System.Text.Json.Nodes;

namespace Doppel.Server.Api;

/// <summary>
/// <c>GET /</c>: what this server is, its version, and where its API, OpenAPI document, metrics, live streams and docs
/// are, as JSON; a browser (which asks for HTML) gets the web console instead (<see cref="ConsoleEndpoints"/>).
/// </summary>
internal static class RootEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/", (HttpContext context) => WantsHtml(context.Request) ? ConsoleEndpoints.Index(context) : Results.Json(Describe()))
            .ExcludeFromDescription();

    public static string Version { get; } =
        typeof(RootEndpoint).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";

    private static JsonObject Describe() => new()
    {
        ["name"] = "Doppel",
        ["description"] = "A self-hosted digital twin platform that speaks the Azure Digital Twins API.",
        ["version"] = Version,
        ["links"] = new JsonObject
        {
            ["console"] = Link("/", "the web console: open this address in a browser"),
            ["adt"] = Link($"/models?api-version={ApiVersions.Latest}", $"the Azure Digital Twins data-plane API (/models, /digitaltwins, /query, /eventroutes, /jobs); every request names ?api-version={ApiVersions.Latest}"),
            ["doppel"] = Link("/doppel/", "Doppel's extensions below this path: history, ingest, mappings, endpoints, scenarios and runs", browsable: false),
            ["openapi"] = Link("/openapi/v1.json", "the OpenAPI document of both"),
            ["streams"] = Link("/doppel/streams/events", "live events as Server-Sent Events (SignalR at /doppel/hubs/events)"),
            ["metrics"] = Link("/metrics", "Prometheus metrics"),
            ["health"] = Link("/health", "liveness"),
            ["docs"] = Link("docs/api.md", "the API's documentation, in the Doppel source", browsable: false),
        },
        ["apiVersions"] = new JsonArray([.. ApiVersions.Supported.Select(v => JsonValue.Create(v))]),
    };

    /// <summary>A place and what it is; <paramref name="browsable"/> when a GET there answers (the page links it).</summary>
    private static JsonObject Link(string href, string title, bool browsable = true) => new() { ["href"] = href, ["title"] = title, ["browsable"] = browsable };

    /// <summary>A browser asks for HTML first; curl and SDKs ask for anything or for JSON.</summary>
    private static bool WantsHtml(HttpRequest request) =>
        request.GetTypedHeaders().Accept is { Count: > 0 } accept
        && accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));
}
