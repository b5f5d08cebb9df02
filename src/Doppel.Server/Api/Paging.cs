using System.Buffers.Text;
using System.Text;

namespace Doppel.Server.Api;

/// <summary>List paging as ADT does it: a page of items and an absolute nextLink that already carries api-version.</summary>
internal static class Paging
{
    public const string TokenParameter = "continuationToken";

    /// <summary>The page size a client asked for with max-items-per-page, clamped to [1, max].</summary>
    public static Result<int> PageSize(HttpRequest request, int max)
    {
        var header = request.Headers["max-items-per-page"].ToString();
        if (header.Length == 0)
        {
            return Result<int>.Ok(max);
        }
        return int.TryParse(header, out var size) && size > 0
            ? Result<int>.Ok(Math.Min(size, max))
            : Result<int>.Fail("InvalidArgument", $"The max-items-per-page header must be a positive integer, got '{header}'.");
    }

    /// <summary>The key to resume after, decoded from the continuationToken query parameter; null on the first page.</summary>
    public static Result<string?> ResumeAfter(HttpRequest request)
    {
        var token = request.Query[TokenParameter].ToString();
        if (token.Length == 0)
        {
            return Result<string?>.Ok(null);
        }
        try
        {
            return Result<string?>.Ok(Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token)));
        }
        catch (FormatException)
        {
            return Result<string?>.Fail("BadRequest", $"The continuation token '{token}' is not valid.");
        }
    }

    /// <summary>An absolute link to the next page, keeping the request's query (api-version, relationshipName, ...).</summary>
    public static string NextLink(HttpRequest request, string lastKey)
    {
        var query = new List<KeyValuePair<string, string?>>();
        foreach (var (key, values) in request.Query)
        {
            if (!key.Equals(TokenParameter, StringComparison.OrdinalIgnoreCase))
            {
                query.AddRange(values.Select(v => new KeyValuePair<string, string?>(key, v)));
            }
        }
        query.Add(new(TokenParameter, Base64Url.EncodeToString(Encoding.UTF8.GetBytes(lastKey))));
        return $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}{Microsoft.AspNetCore.Http.QueryString.Create(query)}";
    }
}
