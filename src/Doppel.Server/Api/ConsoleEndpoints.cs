using System.Collections.Concurrent;
using System.IO.Hashing;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Doppel.Server.Api;

/// <summary>
/// The web console: its files, embedded in this assembly from <c>Console/wwwroot</c>, under <c>/console/...</c> (public,
/// like any static asset: the data comes from the API, which checks the caller's credential), and what the console needs
/// to know to sign in (<c>/doppel/auth/config</c>). <c>GET /</c> answers the console's page to browsers (RootEndpoint).
/// </summary>
internal static class ConsoleEndpoints
{
    private static readonly ManifestEmbeddedFileProvider Files = new(typeof(ConsoleEndpoints).Assembly, "Console/wwwroot");
    private static readonly FileExtensionContentTypeProvider ContentTypes = CreateContentTypes();
    private static readonly ConcurrentDictionary<string, EntityTagHeaderValue> Tags = new(StringComparer.Ordinal);

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/console/{**path}", (string? path, HttpContext context) => Serve(context, path ?? ""))
            .ExcludeFromDescription();

        app.MapGet("/doppel/auth/config", (IOptions<DoppelServerOptions> options) => Responses.Json(AuthConfig(options.Value)))
            .WithTags("Security").WithName("Auth_Config");
    }

    /// <summary>The console's start page (index.html), for <c>GET /</c>.</summary>
    public static IResult Index(HttpContext context) => Serve(context, "index.html");

    /// <summary>How a browser signs in here: whether credentials are needed, and the OpenID Connect client when one is configured.</summary>
    internal static JsonObject AuthConfig(DoppelServerOptions options) => new()
    {
        ["anonymous"] = options.AnonymousAllowed,
        ["apiKeys"] = true,
        ["oidc"] = options is { AuthAuthority: { } authority, AuthClientId: { } clientId }
            ? new JsonObject { ["authority"] = authority.ToString().TrimEnd('/'), ["clientId"] = clientId, ["scope"] = string.Join(' ', new[] { "openid", options.AuthScope }.Where(s => !string.IsNullOrWhiteSpace(s))) }
            : null,
    };

    private static IResult Serve(HttpContext context, string path)
    {
        var file = path.Contains("..", StringComparison.Ordinal) ? null : Files.GetFileInfo(path);
        if (file is not { Exists: true, IsDirectory: false })
        {
            return AdtErrors.ToResult(new DoppelError("NotFound", $"The console has no file '{path}'."), StatusCodes.Status404NotFound);
        }
        // Every file is revalidated (no-cache) against its content hash, so a new build is seen at once and a reload costs 304s.
        var tag = Tags.GetOrAdd(path, _ => Hash(file));
        var headers = context.Response.GetTypedHeaders();
        headers.CacheControl = new CacheControlHeaderValue { NoCache = true };
        headers.ETag = tag;
        context.Response.Headers.XContentTypeOptions = "nosniff";
        if (context.Request.GetTypedHeaders().IfNoneMatch is { Count: > 0 } match && match.Any(m => m.Compare(tag, useStrongComparison: false)))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }
        var contentType = ContentTypes.TryGetContentType(path, out var known) ? known : "application/octet-stream";
        return Results.Stream(file.CreateReadStream(), contentType);
    }

    private static EntityTagHeaderValue Hash(IFileInfo file)
    {
        using var stream = file.CreateReadStream();
        var hash = new XxHash64();
        hash.Append(stream);
        return new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(hash.GetCurrentHash())}\"");
    }

    private static FileExtensionContentTypeProvider CreateContentTypes()
    {
        var types = new FileExtensionContentTypeProvider();
        types.Mappings[".js"] = "text/javascript; charset=utf-8";
        types.Mappings[".mjs"] = "text/javascript; charset=utf-8";
        types.Mappings[".css"] = "text/css; charset=utf-8";
        types.Mappings[".html"] = "text/html; charset=utf-8";
        return types;
    }
}
