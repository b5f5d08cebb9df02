using System.Text;
using System.Text.Json.Nodes;
using Doppel.Server.Runtime;

namespace Doppel.Server.Api;

/// <summary>Success responses in ADT's shapes.</summary>
internal static class Responses
{
    public static IResult Json(string json, string? etag = null, int status = StatusCodes.Status200OK) => new JsonText(Encoding.UTF8.GetBytes(json), etag, status);

    /// <summary>Sends UTF-8 JSON as is, such as a twin's cached serialization.</summary>
    public static IResult Json(ReadOnlyMemory<byte> utf8Json, string? etag = null, int status = StatusCodes.Status200OK) => new JsonText(utf8Json, etag, status);

    public static IResult Json(JsonNode node, string? etag = null, int status = StatusCodes.Status200OK) => Json(node.ToJsonString(), etag, status);

    public static IResult NoContent(string? etag = null) => new JsonText(null, etag, StatusCodes.Status204NoContent);

    /// <summary>A grain's answer: the document (or 204 for <paramref name="noContent"/> writes), or its error.</summary>
    public static IResult From(WriteOutcome outcome, bool noContent = false) =>
        outcome.Error is { Code: "ModelNotFound" } missingModel ? AdtErrors.ToResult(missingModel, StatusCodes.Status400BadRequest)
        : outcome.Error is { } error ? AdtErrors.ToResult(error)
        : noContent || outcome.Json is null ? NoContent(outcome.ETag)
        : Json(outcome.Json, outcome.ETag);

    /// <summary>A page of a list: {"value": [...], "nextLink": "..."}.</summary>
    public static IResult Page(IEnumerable<JsonNode> items, string? nextLink)
    {
        var value = new JsonArray();
        foreach (var item in items)
        {
            value.Add(item);
        }
        return Json(new JsonObject { ["value"] = value, ["nextLink"] = nextLink });
    }

    internal sealed class JsonText(ReadOnlyMemory<byte>? utf8Json, string? etag, int status) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => status;

        public ReadOnlyMemory<byte>? Utf8Body => utf8Json;

        public Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = status;
            if (etag is not null)
            {
                response.Headers.ETag = etag;
            }
            if (utf8Json is not { } body)
            {
                return Task.CompletedTask;
            }
            response.ContentType = "application/json; charset=utf-8";
            response.ContentLength = body.Length;
            return response.BodyWriter.WriteAsync(body).AsTask();
        }
    }
}
