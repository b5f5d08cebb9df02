using Doppel.Query;
using Doppel.Query.Internal;

namespace Doppel.Tests.Query;

public sealed class QueryParserTests
{
    private static readonly QueryEngine Engine = new();

    private static string Error(string query, QueryEngine? engine = null)
    {
        var result = (engine ?? Engine).Parse(query);
        Assert.False(result.IsSuccess, $"expected {query} to be rejected");
        Assert.Equal("SqlQueryError", result.Error.Code);
        return result.Error.Message;
    }

    [Theory]
    [InlineData("SELECT TOP(5 FROM DIGITALTWINS", "expected ')' after TOP(5, found FROM at 1:13")]
    [InlineData("", "the query is empty; expected SELECT at 1:1")]
    [InlineData("  FROM DIGITALTWINS", "expected SELECT at the start of the query, found FROM at 1:1")]
    [InlineData("SELECT FROM DIGITALTWINS", "expected '*', COUNT(), TOP(n) or a projection after SELECT, found FROM at 1:7")]
    [InlineData("SELECT * DIGITALTWINS", "expected FROM after SELECT *, found DIGITALTWINS at 1:9")]
    [InlineData("SELECT * FROM", "expected DIGITALTWINS or RELATIONSHIPS after FROM at 1:14")]
    [InlineData("SELECT * FROM TWINS", "expected DIGITALTWINS or RELATIONSHIPS after FROM, found 'TWINS' at 1:14")]
    [InlineData("SELECT TOP(x) FROM DIGITALTWINS", "expected a whole number after TOP(, found 'x' at 1:12")]
    [InlineData("SELECT TOP(1.5) FROM DIGITALTWINS", "TOP needs a whole number from 0 to 2147483647, not 1.5 at 1:12")]
    [InlineData("SELECT TOP 5 FROM DIGITALTWINS", "expected '(' after TOP, found '5' at 1:11")]
    [InlineData("SELECT COUNT( FROM DIGITALTWINS", "expected ')' after COUNT(, found FROM at 1:14")]
    [InlineData("SELECT * FROM DIGITALTWINS WHERE", "expected a condition after WHERE at 1:33")]
    [InlineData("SELECT * FROM DIGITALTWINS WHERE T.a", "expected a comparison operator, IN or NIN after T.a at 1:37")]
    [InlineData("SELECT * FROM DIGITALTWINS WHERE T.a == 1", "unexpected '='; expected a value after T.a = at 1:39")]
    [InlineData("SELECT * FROM DIGITALTWINS WHERE T.a = 1 extra", "unexpected 'extra'; expected the end of the query at 1:42")]
    [InlineData("SELECT * FROM DIGITALTWINS WHERE T.a = 1 AND", "expected a condition after AND at 1:45")]
    [InlineData("SELECT * FROM DIGITALTWINS WHERE (T.a = 1", "expected ')' after (T.a = 1 at 1:42")]
    [InlineData("SELECT * FROM DIGITALTWINS WHERE T.a IN ['x' 'y']", "expected ']' after T.a IN ['x', found string 'y' at 1:45")]
    [InlineData("SELECT * FROM DIGITALTWINS WHERE T.a IN [T.b]", "IN/NIN lists may only contain literals at 1:42")]
    [InlineData("SELECT * FROM DIGITALTWINS WHERE FOO(T)", "unknown function 'FOO' at 1:34")]
    [InlineData("SELECT * FROM DIGITALTWINS WHERE STARTSWITH(T.a)", "STARTSWITH takes 2 arguments, not 1 at 1:34")]
    [InlineData("SELECT * FROM DIGITALTWINS WHERE T. = 1", "expected a property name after T., found '=' at 1:36")]
    [InlineData("SELECT * FROM DIGITALTWINS WHERE T.a = 1 @", "unexpected character '@' at 1:42")]
    [InlineData("SELECT * FROM DIGITALTWINS WHERE T.a ! 1", "unexpected character '!' (did you mean '!='?) at 1:38")]
    [InlineData("SELECT * FROM DIGITALTWINS WHERE [[Group = 1", "expected ']]' to close the escaped name at 1:45")]
    [InlineData("SELECT * FROM DIGITALTWINS WHERE T.a = 'D\\'Souza", "expected ' to close the string that starts at 1:40 at 1:49")]
    [InlineData("SELECT * FROM DIGITALTWINS WHERE T.a = 'a\\q'", "unknown escape sequence '\\q' at 1:42")]
    [InlineData("SELECT * FROM DIGITALTWINS WHERE T.a = 12abc", "malformed number '12a' at 1:40")]
    [InlineData("SELECT *\nFROM DIGITALTWINS T\r\nWHERE T.a = ", "expected a value after T.a = at 3:12")]
    [InlineData("SELECT *\r\nFROM DIGITALTWINS T\r\nWHERE T.a = 1 )", "unexpected ')'; expected the end of the query at 3:15")]
    [InlineData("SELECT * FROM RELATIONSHIPS R JOIN X RELATED R.x", "FROM RELATIONSHIPS cannot be combined with JOIN at 1:31")]
    [InlineData("SELECT A FROM DIGITALTWINS A JOIN B RELATED A", "expected '.' after JOIN B RELATED A at 1:46")]
    [InlineData("SELECT A FROM DIGITALTWINS MATCH (A)-[r:x*2]->(B) WHERE A.$dtId = 'a'", "a relationship variable cannot be combined with a hop count (*n) at 1:42")]
    [InlineData("SELECT A FROM DIGITALTWINS MATCH (A)-[*11]->(B) WHERE A.$dtId = 'a'", "a hop count must be a whole number from 0 to 10 at 1:40")]
    [InlineData("SELECT A FROM DIGITALTWINS MATCH (A)-[*5..3]->(B) WHERE A.$dtId = 'a'", "the hop range 5..3 is empty at 1:43")]
    [InlineData("SELECT A FROM DIGITALTWINS MATCH (A)<-[]->(B)", "a relationship pattern cannot point both ways (<-[]->) at 1:42")]
    [InlineData("SELECT A FROM DIGITALTWINS MATCH (A)", "expected a relationship pattern such as -[]-> after MATCH (A) at 1:37")]
    [InlineData("SELECT A FROM DIGITALTWINS MATCH (A)-[]->(B", "expected ')' after (B at 1:44")]
    [InlineData("SELECT * FROM DIGITALTWINS T ORDER T.name", "expected BY after ORDER, found 'T' at 1:35")]
    public void Errors_name_what_was_expected_and_where(string query, string message) => Assert.Equal(message, Error(query));

    [Theory]
    // Every reference example parses, including the constructs this slice does not execute yet.
    [InlineData("SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL('dtmi:sample:Room;1')")]
    [InlineData("SELECT TOP(5) FROM DIGITALTWINS")]
    [InlineData("SELECT COUNT() FROM RELATIONSHIPS")]
    [InlineData("SELECT * FROM RELATIONSHIPS WHERE $sourceId IN ['A', 'B', 'C', 'D']")]
    [InlineData("SELECT T, CT FROM DIGITALTWINS T JOIN CT RELATED T.contains WHERE T.$dtId = 'ABC'")]
    [InlineData("SELECT Consumer, Factory, Relationship FROM DIGITALTWINS Factory JOIN Consumer RELATED Factory.consumerRelationship Relationship WHERE Factory.$dtId = 'FactoryA'")]
    [InlineData("SELECT LightBulb FROM DIGITALTWINS Building JOIN Floor RELATED Building.contains JOIN Room RELATED Floor.contains JOIN LightPanel RELATED Room.contains JOIN LightBulbRow RELATED LightPanel.contains JOIN LightBulb RELATED LightBulbRow.contains WHERE Building.$dtId = 'Building1'")]
    [InlineData("SELECT Building, Sensor FROM DIGITALTWINS MATCH (Building)-[]->(Sensor) WHERE Building.$dtId = 'Building21' AND Sensor.temperature > 50")]
    [InlineData("SELECT Floor, Room FROM DIGITALTWINS MATCH (Floor)-[:contains|isAssociatedWith*3..5]->(Room) WHERE Floor.$dtId = 'thermostat-15'")]
    [InlineData("SELECT Floor, Room FROM DIGITALTWINS MATCH (Floor)-[r:contains|isAssociatedWith]->(Room) WHERE Floor.$dtId = 'thermostat-15' AND r.length = 10")]
    [InlineData("SELECT Building, Room FROM DIGITALTWINS MATCH (Building)-[r1:isAssociatedWith]->(Floor)<-[r2:isAssociatedWith]-(Room) WHERE Building.$dtId = 'B'")]
    [InlineData("SELECT A FROM DIGITALTWINS MATCH (A)-[*..3]-(B) WHERE A.$dtId = 'a'")]
    [InlineData("SELECT * FROM DIGITALTWINS T WHERE STARTSWITH(T.$dtId, 'area1-')")]
    [InlineData("SELECT T.name FROM DIGITALTWINS T WHERE ARRAY_CONTAINS(T.floor_number, 2)")]
    [InlineData("SELECT * FROM DIGITALTWINS WHERE [[Group]] = 'BravoTeam'")]
    [InlineData("SELECT * FROM DIGITALTWINS WHERE Name = 'D\\'Souza'")]
    [InlineData("SELECT * FROM DIGITALTWINS T WHERE T.firmwareVersion = '1.1' AND T.$dtId in ['123', '456'] AND T.Temperature = 70")]
    [InlineData("SELECT * FROM DIGITALTWINS T ORDER BY T.name DESC, T.$dtId")]
    [InlineData("SELECT T AS Twins FROM DIGITALTWINS T")]
    public void The_full_grammar_parses(string query)
    {
        var result = Engine.Parse(query);
        Assert.True(result.IsSuccess, result.Error?.ToString());
        Assert.Equal(query, result.Value.Text);
    }

    [Fact]
    public void Match_patterns_keep_direction_names_and_hops()
    {
        var match = Engine.Parse("SELECT F, R FROM DIGITALTWINS MATCH (F)-[:contains|isAssociatedWith*3..5]->(R)<-[r2:x]-(S)-[*2]-()").Value!.Syntax.From.Match!;
        Assert.Equal(["F", "R", "S", null], match.Nodes.Select(n => n.Alias));
        Assert.Equal([EdgeDirection.Forward, EdgeDirection.Backward, EdgeDirection.Any], match.Edges.Select(e => e.Direction));
        Assert.Equal(["contains", "isAssociatedWith"], match.Edges[0].RelationshipNames);
        Assert.Equal(new HopRange(3, 5), match.Edges[0].Hops);
        Assert.Equal("r2", match.Edges[1].Variable);
        Assert.Equal(new HopRange(2, 2), match.Edges[2].Hops);
    }

    [Fact]
    public void Joins_keep_their_aliases_and_relationship()
    {
        var from = Engine.Parse("SELECT C FROM DIGITALTWINS F JOIN C RELATED F.consumer Rel").Value!.Syntax.From;
        Assert.Equal("F", from.Alias);
        Assert.Equal(new JoinClause("C", "F", "consumer", "Rel", 29), Assert.Single(from.Joins));
    }

    [Fact]
    public void The_lexer_reads_every_token_of_the_language()
    {
        var tokens = Lexer.Tokenize("select $dtId [[from]] 'a\\'b' \"c\\\"d\" 1.5e3 3..5 -[]-> <-[ != <> <= >= < > = * , . : | ( ) TRUE null nin");
        Assert.Equal(
            [
                TokenKind.Keyword, TokenKind.Identifier, TokenKind.Identifier, TokenKind.String, TokenKind.String, TokenKind.Number,
                TokenKind.Number, TokenKind.DotDot, TokenKind.Number, TokenKind.Minus, TokenKind.LBracket, TokenKind.RBracket, TokenKind.Minus, TokenKind.Gt,
                TokenKind.Lt, TokenKind.Minus, TokenKind.LBracket, TokenKind.NotEq, TokenKind.NotEq, TokenKind.LtEq, TokenKind.GtEq, TokenKind.Lt, TokenKind.Gt,
                TokenKind.Eq, TokenKind.Star, TokenKind.Comma, TokenKind.Dot, TokenKind.Colon, TokenKind.Pipe, TokenKind.LParen, TokenKind.RParen,
                TokenKind.Keyword, TokenKind.Keyword, TokenKind.Keyword, TokenKind.End,
            ],
            tokens.Select(t => t.Kind));
        Assert.Equal(["$dtId", "from", "a'b", "c\"d"], tokens.Skip(1).Take(4).Select(t => t.Value));
        Assert.True(tokens[2].Escaped);
        Assert.Equal(1500, tokens[5].Number);
        Assert.Equal([Keyword.Select, Keyword.True, Keyword.Null, Keyword.Nin], tokens.Where(t => t.Kind == TokenKind.Keyword).Select(t => t.Keyword));
    }

    [Fact]
    public void Negative_numbers_and_escaped_unicode_are_literals()
    {
        var where = (BinaryExpr)Engine.Parse("SELECT * FROM DIGITALTWINS WHERE a = -2.5 OR b = '\\u00e9'").Value!.Syntax.Where!;
        Assert.Equal(-2.5, ((LiteralExpr)((BinaryExpr)where.Left).Right).Value!.GetValue<double>());
        Assert.Equal("é", ((LiteralExpr)((BinaryExpr)where.Right).Right).Value!.GetValue<string>());
    }

    [Fact]
    public void And_binds_tighter_than_or_and_not_tighter_than_and()
    {
        var where = Engine.Parse("SELECT * FROM DIGITALTWINS WHERE NOT a = 1 AND b = 2 OR c = 3").Value!.Syntax.Where!;
        var or = Assert.IsType<BinaryExpr>(where);
        Assert.Equal(BinaryOp.Or, or.Op);
        var and = Assert.IsType<BinaryExpr>(or.Left);
        Assert.Equal(BinaryOp.And, and.Op);
        Assert.IsType<NotExpr>(and.Left);
    }

    [Fact]
    public void A_query_longer_than_the_limit_is_rejected()
    {
        var query = "SELECT * FROM DIGITALTWINS WHERE a = '" + new string('x', 8000) + "'";
        Assert.Equal($"the query is {query.Length} characters long; the limit is 8000 at 1:8001", Error(query));
        Assert.True(Engine.Parse(query[..7990] + "'").IsSuccess);
        Assert.True(new QueryEngine(new QueryLimits { MaxQueryLength = 10_000 }).Parse(query).IsSuccess);
    }

    [Fact]
    public void More_than_fifty_and_or_operators_are_rejected_at_the_fifty_first()
    {
        var fifty = "SELECT * FROM DIGITALTWINS WHERE a = 0" + string.Concat(Enumerable.Range(1, 50).Select(i => (i % 2 == 0 ? " AND" : " OR") + $" a = {i}"));
        Assert.True(Engine.Parse(fifty).IsSuccess);
        var message = Error(fifty + " AND a = 51");
        Assert.Equal($"too many AND/OR operators; the limit is 50 at 1:{fifty.Length + 2}", message);
        Assert.StartsWith("too many AND/OR operators; the limit is 3", Error("SELECT * FROM DIGITALTWINS WHERE a=1 AND a=1 AND a=1 AND a=1 AND a=1", new QueryEngine(new QueryLimits { MaxLogicalOperators = 3 })));
    }

    [Fact]
    public void More_than_fifty_in_items_are_rejected_at_the_fifty_first()
    {
        var prefix = "SELECT * FROM DIGITALTWINS WHERE a IN [";
        var fifty = string.Join(", ", Enumerable.Range(0, 50));
        Assert.True(Engine.Parse(prefix + fifty + "]").IsSuccess);
        Assert.Equal($"too many items in the IN/NIN list; the limit is 50 at 1:{prefix.Length + fifty.Length + 3}", Error(prefix + fifty + ", 50]"));
        Assert.True(new QueryEngine(new QueryLimits { MaxInItems = 51 }).Parse(prefix + fifty + ", 50]").IsSuccess);
    }

    [Fact]
    public void More_than_five_joins_are_rejected() =>
        Assert.StartsWith("too many JOINs; the limit is 5 at 1:", Error("SELECT A FROM DIGITALTWINS A JOIN B RELATED A.r JOIN C RELATED B.r JOIN D RELATED C.r JOIN E RELATED D.r JOIN F RELATED E.r JOIN G RELATED F.r"));
}
