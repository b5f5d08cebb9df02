using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Doppel.Ingest;
using Doppel.Packs;
using Doppel.Server.Audit.Internal;
using Doppel.Server.Runtime;
using Doppel.Storage;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Doppel.Server.Api;

/// <summary>Ingest mappings (<c>/doppel/mappings</c>): JSON or YAML definitions binding topics and payloads to twins.</summary>
internal static partial class MappingEndpoints
{
    private const int MaxMappingBytes = 64 * 1024;

    // Serialises mapping changes so that two concurrent PUTs cannot lose one another's set.
    private static readonly SemaphoreSlim Gate = new(1, 1);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")]
    private static partial Regex MappingId();

    public static void Map(IEndpointRouteBuilder app)
    {
        var mappings = app.MapGroup("/doppel/mappings").WithTags("Mappings");

        mappings.MapGet("", (TwinRuntime runtime) =>
            Responses.Page(runtime.Mappings.Mappings.OrderBy(m => m.Id, StringComparer.Ordinal).Select(ToJson), null))
            .WithName("Mappings_List");

        mappings.MapGet("/{id}", (string id, TwinRuntime runtime) =>
            runtime.Mappings.Mappings.FirstOrDefault(m => m.Id == id) is { } mapping ? Responses.Json(ToJson(mapping)) : NotFound(id))
            .WithName("Mappings_GetById");

        mappings.MapPut("/{id}", async (string id, HttpRequest request, TwinRuntime runtime, CancellationToken ct) =>
        {
            if (!MappingId().IsMatch(id))
            {
                return AdtErrors.ToResult("InvalidArgument", $"Mapping id '{id}' must be 1 to 100 letters, digits, '.', '-' or '_', starting with a letter or digit.");
            }
            var body = await RequestBody.ReadAsync(request, MaxMappingBytes, ct);
            if (!body.IsSuccess)
            {
                return AdtErrors.ToResult(body.Error);
            }
            var lines = new Dictionary<string, int>(StringComparer.Ordinal);
            var definition = IsYaml(request.ContentType) ? FromYaml(Encoding.UTF8.GetString(body.Value), lines) : RequestBody.ExpectObject(RequestBody.ParseJson(body.Value), "a mapping");
            if (!definition.IsSuccess)
            {
                return AdtErrors.ToResult(definition.Error);
            }
            definition.Value.Remove("id");
            var mapping = IngestMapping.Parse(id, definition.Value, path => lines.TryGetValue(path, out var line) ? line : null);
            if (!mapping.IsSuccess)
            {
                return AdtErrors.ToResult(mapping.Error);
            }
            await Gate.WaitAsync(ct);
            try
            {
                await runtime.Store.CommitAsync(new StoreBatch().PutDocument(TwinRuntime.MappingDocumentKind, id, mapping.Value.Definition.ToJsonString()), CancellationToken.None);
                runtime.Mappings = runtime.Mappings.With(mapping.Value);
            }
            finally
            {
                Gate.Release();
            }
            return Responses.Json(ToJson(mapping.Value));
        }).WithName("Mappings_Put").Audited("mapping.put", "mapping");

        mappings.MapDelete("/{id}", async (string id, TwinRuntime runtime, CancellationToken ct) =>
        {
            await Gate.WaitAsync(ct);
            try
            {
                if (!runtime.Mappings.Mappings.Any(m => m.Id == id))
                {
                    return NotFound(id);
                }
                await runtime.Store.CommitAsync(new StoreBatch().DeleteDocument(TwinRuntime.MappingDocumentKind, id), CancellationToken.None);
                runtime.Mappings = runtime.Mappings.Without(id);
            }
            finally
            {
                Gate.Release();
            }
            return Responses.NoContent();
        }).WithName("Mappings_Delete").Audited("mapping.delete", "mapping");
    }

    private static JsonNode ToJson(IngestMapping mapping)
    {
        var json = (JsonObject)mapping.Definition.DeepClone();
        json.Insert(0, "id", mapping.Id);
        return json;
    }

    private static bool IsYaml(string? contentType) =>
        contentType is not null && (contentType.Contains("yaml", StringComparison.OrdinalIgnoreCase) || contentType.Contains("yml", StringComparison.OrdinalIgnoreCase));

    /// <summary>YAML to the JSON shape of a mapping; scalars stay strings, which is every field a mapping has.</summary>
    /// <param name="text">The YAML.</param>
    /// <param name="lines">Receives the line of each key by its path (<c>values.temperature.unit</c>), for error messages.</param>
    public static Result<JsonObject> FromYaml(string text, Dictionary<string, int> lines)
    {
        try
        {
            var stream = BoundedYamlParser.Load(text);
            if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
            {
                return Result<JsonObject>.Fail("InvalidArgument", "A YAML mapping must be one document whose root is a mapping (key: value lines).");
            }
            return Result<JsonObject>.Ok((JsonObject)Convert(root, "", lines)!);
        }
        catch (YamlException e)
        {
            return Result<JsonObject>.Fail("InvalidArgument", $"The YAML is not valid at line {e.Start.Line}, column {e.Start.Column}: {e.Message}");
        }
        catch (InvalidCastException)
        {
            return Result<JsonObject>.Fail("InvalidArgument", "A YAML mapping's keys must be plain names.");
        }
    }

    private static JsonNode? Convert(YamlNode node, string path, Dictionary<string, int> lines) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c =>
        {
            var key = ((YamlScalarNode)c.Key).Value ?? "";
            var keyPath = path.Length == 0 ? key : $"{path}.{key}";
            lines.TryAdd(keyPath, (int)c.Key.Start.Line);
            return KeyValuePair.Create(key, Convert(c.Value, keyPath, lines));
        })),
        YamlSequenceNode list => new JsonArray([.. list.Children.Select((item, i) => Convert(item, $"{path}[{i}]", lines))]),
        YamlScalarNode { Value: null or "~" or "null", Style: ScalarStyle.Plain } => null,
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => null,
    };

    private static IResult NotFound(string id) => AdtErrors.ToResult("MappingNotFound", $"There is no mapping with id '{id}'.");
}
