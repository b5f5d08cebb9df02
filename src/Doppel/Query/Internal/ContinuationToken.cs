using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Doppel.Query.Internal;

/// <summary>
/// Where a query stopped: its text (ADT clients may send only the token for later pages), the last <c>$dtId</c> scanned,
/// and the rows already returned (for TOP). Opaque to clients: base64url of a small JSON object.
/// </summary>
/// <remarks><see cref="Skip"/> is non-zero when a page ended inside the rows of one anchor twin (JOIN, MATCH, relationships):
/// the next page re-expands that anchor and skips the rows already returned.</remarks>
internal sealed record ContinuationToken(string Query, string AfterDtId, int Returned, int Skip = 0)
{
    private const int Version = 1;

    public string Encode()
    {
        var json = new JsonObject { ["v"] = Version, ["q"] = Query, ["a"] = AfterDtId, ["n"] = Returned };
        if (Skip > 0)
        {
            json["s"] = Skip;
        }
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json.ToJsonString()));
    }

    public static (ContinuationToken? Token, string? Problem) Decode(string token)
    {
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(token);
        }
        catch (FormatException)
        {
            return (null, "it is not base64url");
        }
        try
        {
            if (JsonNode.Parse(bytes) is not JsonObject json
                || json["v"] is not JsonValue v || !v.TryGetValue<int>(out var version) || version != Version
                || json["q"] is not JsonValue q || !q.TryGetValue<string>(out var query)
                || json["a"] is not JsonValue a || !a.TryGetValue<string>(out var after)
                || json["n"] is not JsonValue n || !n.TryGetValue<int>(out var returned) || returned < 0)
            {
                return (null, "it was not issued by this service");
            }
            var skip = json["s"] is JsonValue s && s.TryGetValue<int>(out var sv) && sv > 0 ? sv : 0;
            return (new ContinuationToken(query, after, returned, skip), null);
        }
        catch (JsonException)
        {
            return (null, "it was not issued by this service");
        }
    }
}
