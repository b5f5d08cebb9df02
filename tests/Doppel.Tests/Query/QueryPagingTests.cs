using System.Text;
using Doppel.Query;

namespace Doppel.Tests.Query;

public sealed class QueryPagingTests
{
    private const string Room = "dtmi:example:Room;1";

    private static InMemoryQuerySource Twins(int count)
    {
        var source = new InMemoryQuerySource().Model(Room);
        for (var i = 0; i < count; i++)
        {
            source.Twin($"t{i:D2}", Room, $$"""{"n":{{i}}}""");
        }
        return source;
    }

    private static string Ids(QueryPage page) => string.Join(",", page.Rows.Select(r => r["$dtId"]!.GetValue<string>()));

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(20)]
    [InlineData(0)]
    public void Every_page_size_returns_the_same_rows(int pageSize)
    {
        var source = Twins(20);
        Assert.Equal(source.Ids("SELECT * FROM DIGITALTWINS"), source.Ids("SELECT * FROM DIGITALTWINS", pageSize));
        Assert.Equal("t01,t03,t05,t07,t09,t11,t13,t15,t17,t19", source.Ids("SELECT * FROM DIGITALTWINS WHERE n IN [1,3,5,7,9,11,13,15,17,19]", pageSize));
    }

    [Fact]
    public void Top_spans_pages_and_the_last_page_has_no_token()
    {
        var source = Twins(20);
        var engine = new QueryEngine();
        var first = engine.Execute("SELECT TOP(5) FROM DIGITALTWINS", source, 2, null).Value!;
        var second = engine.Execute(null, source, 2, first.ContinuationToken).Value!;
        var third = engine.Execute(null, source, 2, second.ContinuationToken).Value!;
        Assert.Equal(["t00,t01", "t02,t03", "t04"], [Ids(first), Ids(second), Ids(third)]);
        Assert.Null(third.ContinuationToken);
    }

    [Fact]
    public void A_full_last_page_of_a_scan_has_no_token()
    {
        var page = new QueryEngine().Execute("SELECT * FROM DIGITALTWINS", Twins(4), 4, null).Value!;
        Assert.Equal(4, page.Rows.Count);
        Assert.Null(page.ContinuationToken);
    }

    [Fact]
    public void Page_size_is_clamped_to_the_configured_maximum()
    {
        var page = new QueryEngine(new QueryLimits { MaxPageSize = 3 }).Execute("SELECT * FROM DIGITALTWINS", Twins(10), 1000, null).Value!;
        Assert.Equal("t00,t01,t02", Ids(page));
        Assert.NotNull(page.ContinuationToken);
    }

    [Fact]
    public void A_token_can_be_reused_and_gives_the_same_page()
    {
        var source = Twins(10);
        var engine = new QueryEngine();
        var token = engine.Execute("SELECT * FROM DIGITALTWINS", source, 3, null).Value!.ContinuationToken;
        var again = engine.Execute("SELECT * FROM DIGITALTWINS", source, 3, token).Value!;
        Assert.Equal("t03,t04,t05", Ids(again));
        Assert.Equal(Ids(again), Ids(engine.Execute(null, source, 3, token).Value!));
    }

    [Fact]
    public void A_token_for_another_query_is_a_bad_request()
    {
        var source = Twins(10);
        var engine = new QueryEngine();
        var token = engine.Execute("SELECT * FROM DIGITALTWINS", source, 3, null).Value!.ContinuationToken;
        var error = engine.Execute("SELECT * FROM DIGITALTWINS WHERE n > 1", source, 3, token).Error!;
        Assert.Equal(new DoppelError("BadRequest", "Invalid continuation token: it was issued for a different query."), error);
    }

    [Theory]
    [InlineData("not a token!")]
    [InlineData("bm90IGpzb24")]
    [InlineData("eyJ2IjoxfQ")]
    [InlineData("")]
    public void A_garbage_token_is_a_bad_request(string token)
    {
        var error = new QueryEngine().Execute("SELECT * FROM DIGITALTWINS", Twins(3), 3, token).Error!;
        Assert.Equal("BadRequest", error.Code);
        Assert.StartsWith("Invalid continuation token: ", error.Message);
    }

    [Fact]
    public void A_token_is_opaque_base64url_json()
    {
        var token = new QueryEngine().Execute("SELECT * FROM DIGITALTWINS", Twins(3), 1, null).Value!.ContinuationToken!;
        Assert.DoesNotContain('+', token);
        Assert.DoesNotContain('/', token);
        Assert.DoesNotContain('=', token);
        var json = Encoding.UTF8.GetString(Convert.FromBase64String(token.Replace('-', '+').Replace('_', '/') + new string('=', (4 - (token.Length % 4)) % 4)));
        Assert.Equal("""{"v":1,"q":"SELECT * FROM DIGITALTWINS","a":"t00","n":1}""", json);
    }

    [Fact]
    public void Inserts_and_deletes_between_pages_neither_duplicate_nor_skip_unchanged_twins()
    {
        var source = Twins(20);
        var engine = new QueryEngine();
        var seen = new List<string>();
        var page = engine.Execute("SELECT * FROM DIGITALTWINS", source, 5, null).Value!;
        seen.AddRange(page.Rows.Select(r => r["$dtId"]!.GetValue<string>()));
        // Given the first page was t00..t04, the graph changes on both sides of the cursor.
        source.Remove("t02");
        source.Remove("t04");
        source.Remove("t07");
        source.Twin("t01a", Room);
        source.Twin("t10a", Room);
        while (page.ContinuationToken is { } token)
        {
            page = engine.Execute(null, source, 5, token).Value!;
            seen.AddRange(page.Rows.Select(r => r["$dtId"]!.GetValue<string>()));
            source.Twin($"z{seen.Count:D2}", Room);
        }
        Assert.Equal(seen.Count, seen.Distinct().Count());
        var unchanged = Enumerable.Range(0, 20).Select(i => $"t{i:D2}").Except(["t02", "t04", "t07"]);
        Assert.All(unchanged, id => Assert.Contains(id, seen));
        Assert.DoesNotContain("t07", seen);
        Assert.DoesNotContain("t01a", seen);
        Assert.Contains("t10a", seen);
    }

    [Fact]
    public void Count_ignores_the_page_size()
    {
        var source = Twins(30);
        var engine = new QueryEngine();
        var page = engine.Execute("SELECT COUNT() FROM DIGITALTWINS", source, 1, null).Value!;
        Assert.Equal("""{"COUNT":30}""", Assert.Single(page.Rows).ToJsonString());
        Assert.Null(page.ContinuationToken);
    }

    [Fact]
    public void Query_errors_surface_from_execute_too()
    {
        var error = new QueryEngine().Execute("SELECT TOP(5 FROM DIGITALTWINS", Twins(1), 10, null).Error!;
        Assert.Equal(new DoppelError("SqlQueryError", "expected ')' after TOP(5, found FROM at 1:13"), error);
        Assert.Equal("SqlQueryError", new QueryEngine().Execute(null, Twins(1), 10, null).Error!.Code);
    }
}
