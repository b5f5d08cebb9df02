using System.Text.Json.Nodes;
using Doppel.Query;

namespace Doppel.Tests.Query;

/// <summary>One-line assertions for query tests.</summary>
internal static class QueryAssert
{
    public static readonly QueryEngine Engine = new();

    private static readonly System.Text.Json.JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Runs a query to the last page and returns every row.</summary>
    public static List<JsonNode> All(this IQuerySource source, string query, int pageSize = 1000, QueryEngine? engine = null)
    {
        engine ??= Engine;
        var rows = new List<JsonNode>();
        string? token = null;
        var pages = 0;
        do
        {
            var result = engine.Execute(token is null ? query : null, source, pageSize, token);
            Assert.True(result.IsSuccess, result.Error?.ToString());
            rows.AddRange(result.Value.Rows);
            token = result.Value.ContinuationToken;
            Assert.True(++pages < 10_000, "paging does not end");
        }
        while (token is not null);
        return rows;
    }

    /// <summary>The $dtIds of every row of a SELECT * query.</summary>
    public static string Ids(this IQuerySource source, string query, int pageSize = 1000) =>
        string.Join(",", source.All(query, pageSize).Select(row => row["$dtId"]!.GetValue<string>()));

    /// <summary>Every row as compact JSON, one per line.</summary>
    public static string Json(this IQuerySource source, string query) =>
        string.Join("\n", source.All(query).Select(row => row.ToJsonString(Relaxed)));

    /// <summary>Asserts the query is rejected with this code, and returns the message.</summary>
    public static string Rejected(this IQuerySource source, string query, string code = "SqlQueryError")
    {
        var result = Engine.Execute(query, source, 100, null);
        Assert.False(result.IsSuccess, $"expected {code} for {query}");
        Assert.Equal(code, result.Error.Code);
        return result.Error.Message;
    }
}
