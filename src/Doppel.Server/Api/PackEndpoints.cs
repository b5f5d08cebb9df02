using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Doppel.Packs;
using Doppel.Server.Audit.Internal;
using Doppel.Server.Runtime;
using Microsoft.Net.Http.Headers;

namespace Doppel.Server.Api;

/// <summary>
/// The packs the server runs with (<c>/doppel/packs</c>): what each registers, its models (listed, and loaded into the
/// server), and the sample worlds they ship (<c>/doppel/samples</c>), loaded with one request.
/// </summary>
internal static class PackEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var packs = app.MapGroup("/doppel/packs").WithTags("Packs");

        packs.MapGet("", (PackCatalog catalog) => Responses.Page(catalog.Packs.Select(p => (JsonNode)p.Describe()), null))
            .WithName("Packs_List");

        packs.MapGet("/{name}", (string name, PackCatalog catalog) =>
            catalog.Find(name) is { } pack ? Responses.Json(pack.Describe()) : NotFound(catalog, name))
            .WithName("Packs_GetByName");

        packs.MapGet("/{name}/models", (string name, PackCatalog catalog) =>
            catalog.Find(name) is { } pack
                ? Responses.Page(pack.Models.Select(m => JsonNode.Parse(m.Json)!), null)
                : NotFound(catalog, name))
            .WithName("Packs_ListModels");

        packs.MapPost("/{name}/models", async (string name, PackCatalog catalog, PackLoader loader, CancellationToken ct) =>
        {
            if (catalog.Find(name) is not { } pack)
            {
                return NotFound(catalog, name);
            }
            var loaded = await loader.LoadModelsAsync(pack.Models, ct);
            return loaded.IsSuccess ? Responses.Json(loaded.Value.ToJson()) : AdtErrors.ToResult(loaded.Error);
        }).WithName("Packs_LoadModels").Audited("pack.load-models", "pack");

        // A pack's console page: public like every console asset (it holds code, no data; the data it shows comes from the API).
        app.MapGet("/console/packs/{pack}/{name}.js", (string pack, string name, HttpResponse response, PackCatalog catalog) =>
        {
            if (catalog.Find(pack) is not { } found)
            {
                return NotFound(catalog, pack);
            }
            if (found.FindConsolePage(name) is not { } page)
            {
                var names = found.ConsolePages.Select(p => p.Name).ToList();
                return AdtErrors.ToResult("ConsolePageNotFound", NearestName.Find(name, names) is { } nearest
                    ? $"Pack '{pack}' has no console page '{name}'; did you mean '{nearest}'?"
                    : $"Pack '{pack}' has no console page '{name}'; its pages are: {(names.Count == 0 ? "none" : string.Join(", ", names))}.");
            }
            using var stream = page.OpenModule();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            // Revalidated on each load (a pack can change under a running console), answered 304 while unchanged.
            response.Headers.CacheControl = "no-cache";
            response.Headers.XContentTypeOptions = "nosniff";
            var etag = new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..32]}\"");
            return Results.Bytes(bytes, "text/javascript; charset=utf-8", entityTag: etag);
        }).WithTags("Packs").WithName("Packs_ConsolePage").ExcludeFromDescription();

        var samples = app.MapGroup("/doppel/samples").WithTags("Packs");

        samples.MapGet("", (PackCatalog catalog) => Responses.Page(
            catalog.Samples.Select(s => (JsonNode)new JsonObject { ["name"] = s.Sample.Name, ["pack"] = s.Pack.Name, ["description"] = s.Sample.Description }), null))
            .WithName("Samples_List");

        samples.MapPost("/{name}/load", async (string name, PackCatalog catalog, PackLoader loader, CancellationToken ct) =>
        {
            if (catalog.FindSample(name) is not { } found)
            {
                var names = catalog.Samples.Select(s => s.Sample.Name).ToList();
                return AdtErrors.ToResult("SampleNotFound", NearestName.Find(name, names) is { } nearest
                    ? $"There is no sample '{name}'; did you mean '{nearest}'?"
                    : $"There is no sample '{name}'; the samples are: {(names.Count == 0 ? "none" : string.Join(", ", names))}.");
            }
            var loaded = await loader.LoadSampleAsync(found.Sample, ct);
            return loaded.IsSuccess ? Responses.Json(loaded.Value) : AdtErrors.ToResult(loaded.Error);
        }).WithName("Samples_Load").Audited("sample.load", "sample");
    }

    private static IResult NotFound(PackCatalog catalog, string name)
    {
        var names = catalog.Packs.Select(p => p.Name).ToList();
        return AdtErrors.ToResult("PackNotFound", NearestName.Find(name, names) is { } nearest
            ? $"There is no pack '{name}'; did you mean '{nearest}'?"
            : $"There is no pack '{name}'; the packs are: {(names.Count == 0 ? "none" : string.Join(", ", names))}.");
    }
}
