using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;

namespace Doppel.Server.Api;

/// <summary>
/// <c>GET /</c>: what this server is, its version, and where its API, OpenAPI document, metrics, live streams and docs
/// are; a short HTML page for a browser, JSON for anything else. A placeholder for the web console, which will live here.
/// </summary>
internal static class RootEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/", (HttpRequest request) => WantsHtml(request) ? Results.Content(Html(Describe()), "text/html; charset=utf-8") : Results.Json(Describe()))
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

    private static string Html(JsonObject about)
    {
        var html = new StringBuilder();
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Doppel ").Append(Encode(about["version"])).Append("</title>")
            .Append("<style>body{font-family:system-ui,sans-serif;max-width:44rem;margin:3rem auto;padding:0 1rem;line-height:1.5}code{background:#f3f3f3;padding:0 .2rem}</style></head><body>")
            .Append("<h1>Doppel <small>").Append(Encode(about["version"])).Append("</small></h1><p>").Append(Encode(about["description"])).Append("</p><ul>");
        foreach (var (_, link) in about["links"]!.AsObject())
        {
            var href = (string)link!["href"]!;
            var target = (bool)link["browsable"]! ? $"<a href=\"{WebUtility.HtmlEncode(href)}\"><code>{WebUtility.HtmlEncode(href)}</code></a>" : $"<code>{WebUtility.HtmlEncode(href)}</code>";
            html.Append("<li>").Append(target).Append(": ").Append(Encode(link["title"])).Append("</li>");
        }
        return html.Append("</ul></body></html>").ToString();
    }

    private static string Encode(JsonNode? value) => WebUtility.HtmlEncode((string?)value ?? "");
}
