using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;

namespace Doppel.Query.Internal;

/// <summary>Recursive-descent parser for the ADT query language (adt-api.md §4.1).</summary>
/// <remarks>
/// "expected X" errors point just past the last token that was read, where the missing token belongs;
/// errors about a token that is present point at its first character.
/// </remarks>
internal sealed class Parser
{
    private static readonly Dictionary<string, (string Name, int MinArgs, int MaxArgs)> Functions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["IS_OF_MODEL"] = ("IS_OF_MODEL", 1, 3),
        ["IS_DEFINED"] = ("IS_DEFINED", 1, 1),
        ["IS_NULL"] = ("IS_NULL", 1, 1),
        ["IS_BOOL"] = ("IS_BOOL", 1, 1),
        ["IS_NUMBER"] = ("IS_NUMBER", 1, 1),
        ["IS_STRING"] = ("IS_STRING", 1, 1),
        ["IS_PRIMITIVE"] = ("IS_PRIMITIVE", 1, 1),
        ["IS_OBJECT"] = ("IS_OBJECT", 1, 1),
        ["STARTSWITH"] = ("STARTSWITH", 2, 2),
        ["STARTS_WITH"] = ("STARTSWITH", 2, 2),
        ["ENDSWITH"] = ("ENDSWITH", 2, 2),
        ["ENDS_WITH"] = ("ENDSWITH", 2, 2),
        ["CONTAINS"] = ("CONTAINS", 2, 2),
        ["ARRAY_CONTAINS"] = ("ARRAY_CONTAINS", 2, 2),
    };

    private readonly string _text;
    private readonly QueryLimits _limits;
    private readonly List<Token> _tokens;
    private int _index;
    private int _logicalOperators;
    private int _nesting;

    /// <summary>
    /// Parentheses, NOTs and function calls inside one another: far more than any real query, and few enough that
    /// parsing and evaluating recurse well within a request thread's stack (deeper input overflowed it).
    /// </summary>
    internal const int MaxNesting = 64;

    private Parser(string text, QueryLimits limits)
    {
        _text = text;
        _limits = limits;
        _tokens = Lexer.Tokenize(text);
    }

    private Token Current => _tokens[_index];

    private Token Peek(int ahead = 1) => _tokens[Math.Min(_index + ahead, _tokens.Count - 1)];

    /// <summary>End offset of the last token read: where a missing token is reported.</summary>
    private int AfterPrevious => _index == 0 ? 0 : _tokens[_index - 1].End;

    public static (QuerySyntax? Syntax, QueryError? Error) Parse(string text, QueryLimits limits)
    {
        if (text.Length > limits.MaxQueryLength)
        {
            return (null, ErrorAt(text, limits.MaxQueryLength, $"the query is {text.Length} characters long; the limit is {limits.MaxQueryLength}"));
        }
        try
        {
            return (new Parser(text, limits).ParseQuery(), null);
        }
        catch (QuerySyntaxException e)
        {
            return (null, ErrorAt(text, e.Offset, e.Message));
        }
    }

    public static QueryError ErrorAt(string text, int offset, string message)
    {
        var (line, column) = SourceText.Position(text, offset);
        return new QueryError(line, column, message);
    }

    private QuerySyntax ParseQuery()
    {
        if (Current.Kind == TokenKind.End)
        {
            Fail(Current.Start, "the query is empty; expected SELECT");
        }
        var selectOffset = Current.Start;
        Expect(Keyword.Select, "SELECT at the start of the query");
        var select = ParseSelect(selectOffset);
        if (!Current.Is(Keyword.From))
        {
            FailExpected("FROM", Snippet(select.Offset));
        }
        var from = ParseFrom();
        Expr? where = null;
        if (Accept(Keyword.Where))
        {
            where = ParseCondition();
        }
        var groupBy = new List<PathExpr>();
        if (IsGroupBy())
        {
            _index += 2;
            do
            {
                groupBy.Add(ParsePath("a property after GROUP BY"));
            }
            while (Accept(TokenKind.Comma));
        }
        var orderBy = new List<OrderItem>();
        var orderByOffset = -1;
        if (Current.Is(Keyword.Order))
        {
            orderByOffset = Current.Start;
            _index++;
            Expect(Keyword.By, "BY", "ORDER");
            do
            {
                var path = ParsePath("a property after ORDER BY");
                var descending = Accept(Keyword.Desc);
                if (!descending)
                {
                    Accept(Keyword.Asc);
                }
                orderBy.Add(new OrderItem(path, descending));
            }
            while (Accept(TokenKind.Comma));
        }
        if (Current.Kind != TokenKind.End)
        {
            Fail(Current.Start, $"unexpected {DescribeText(Current)}; expected the end of the query");
        }
        // A lone COUNT() keeps ADT's single-row shape and its index-only fast path.
        if (groupBy.Count == 0 && !select.Distinct && select.Projections is [{ Aggregate: Aggregate.Count, Path: null, As: null }])
        {
            select = new SelectClause(SelectKind.Count, null, [], select.Offset);
        }
        return new QuerySyntax(select, from, where, orderBy, orderByOffset) { GroupBy = groupBy };
    }

    private SelectClause ParseSelect(int offset)
    {
        int? top = null;
        if (Current.Is(Keyword.Top))
        {
            var topStart = Current.Start;
            _index++;
            Expect(TokenKind.LParen, "'('", "TOP");
            if (Current.Kind != TokenKind.Number)
            {
                FailExpected("a whole number", Snippet(topStart));
            }
            if (Current.Number != Math.Floor(Current.Number) || Current.Number < 0 || Current.Number > int.MaxValue)
            {
                Fail(Current.Start, $"TOP needs a whole number from 0 to {int.MaxValue}, not {Current.Value}");
            }
            top = (int)Current.Number;
            _index++;
            Expect(TokenKind.RParen, "')'", Snippet(topStart));
            if (Current.Is(Keyword.From))
            {
                return new SelectClause(SelectKind.Star, top, [], offset);
            }
        }
        if (Accept(TokenKind.Star))
        {
            return new SelectClause(SelectKind.Star, top, [], offset);
        }
        var distinct = false;
        if (IsWord("DISTINCT") && Peek().Kind == TokenKind.Identifier)
        {
            distinct = true;
            _index++;
        }
        if (top is not null && IsAggregate() == Aggregate.Count && Peek(2).Kind == TokenKind.RParen && Peek(3).Is(Keyword.From))
        {
            Fail(Current.Start, "COUNT() cannot be combined with TOP");
        }
        if (Current.Kind != TokenKind.Identifier)
        {
            FailExpected("'*', COUNT(), TOP(n) or a projection", Snippet(offset));
        }
        var projections = new List<Projection>();
        do
        {
            var start = Current.Start;
            PathExpr? path = null;
            var aggregate = IsAggregate();
            if (aggregate != Aggregate.None)
            {
                var name = Current.Value.ToUpperInvariant();
                _index += 2;
                if (aggregate != Aggregate.Count || Current.Kind == TokenKind.Identifier)
                {
                    path = ParsePath($"a property inside {name}()");
                }
                Expect(TokenKind.RParen, "')'", Snippet(start));
            }
            else
            {
                path = ParsePath("a projection");
            }
            string? alias = null;
            if (Accept(Keyword.As))
            {
                if (Current.Kind != TokenKind.Identifier)
                {
                    FailExpected("a name", Snippet(start));
                }
                alias = Current.Value;
                _index++;
            }
            var projection = new Projection(path, alias, start, aggregate);
            foreach (var other in projections)
            {
                if (other.Name == projection.Name)
                {
                    Fail(start, $"two columns are named '{projection.Name}'; rename one with AS");
                }
            }
            projections.Add(projection);
        }
        while (Accept(TokenKind.Comma));
        return new SelectClause(SelectKind.Projections, top, projections, offset) { Distinct = distinct };
    }

    private bool IsWord(string word) => Current.Kind == TokenKind.Identifier && !Current.Escaped && Current.Value.Equals(word, StringComparison.OrdinalIgnoreCase);

    // GROUP is not reserved (ADT has no GROUP BY), so it is read as a clause only when BY follows.
    private bool IsGroupBy() => IsWord("GROUP") && Peek().Is(Keyword.By);

    private Aggregate IsAggregate()
    {
        if (Current.Kind != TokenKind.Identifier || Current.Escaped || Peek().Kind != TokenKind.LParen)
        {
            return Aggregate.None;
        }
        return Current.Value.ToUpperInvariant() switch
        {
            "COUNT" => Aggregate.Count,
            "SUM" => Aggregate.Sum,
            "AVG" => Aggregate.Avg,
            "MIN" => Aggregate.Min,
            "MAX" => Aggregate.Max,
            _ => Aggregate.None,
        };
    }


    private FromClause ParseFrom()
    {
        var offset = Current.Start;
        _index++;
        CollectionKind collection;
        if (Accept(Keyword.DigitalTwins))
        {
            collection = CollectionKind.DigitalTwins;
        }
        else if (Accept(Keyword.Relationships))
        {
            collection = CollectionKind.Relationships;
        }
        else
        {
            FailExpected("DIGITALTWINS or RELATIONSHIPS", "FROM");
            return null;
        }
        var alias = ParseOptionalAlias();
        var joins = new List<JoinClause>();
        while (Current.Is(Keyword.Join))
        {
            if (collection == CollectionKind.Relationships)
            {
                Fail(Current.Start, "FROM RELATIONSHIPS cannot be combined with JOIN");
            }
            if (joins.Count == _limits.MaxJoins)
            {
                Fail(Current.Start, $"too many JOINs; the limit is {_limits.MaxJoins}");
            }
            joins.Add(ParseJoin());
        }
        MatchClause? match = null;
        if (Current.Is(Keyword.Match))
        {
            if (collection == CollectionKind.Relationships || alias is not null || joins.Count > 0)
            {
                Fail(Current.Start, "MATCH must follow FROM DIGITALTWINS directly");
            }
            match = ParseMatch();
            if (Current.Is(Keyword.Match))
            {
                Fail(Current.Start, "a query can have only one MATCH");
            }
        }
        return new FromClause(collection, alias, joins, match, offset);
    }

    private string? ParseOptionalAlias()
    {
        if (Accept(Keyword.As))
        {
            if (Current.Kind != TokenKind.Identifier)
            {
                FailExpected("an alias", "AS");
            }
            return _tokens[_index++].Value;
        }
        return Current.Kind == TokenKind.Identifier && !IsGroupBy() ? _tokens[_index++].Value : null;
    }

    private JoinClause ParseJoin()
    {
        var offset = Current.Start;
        _index++;
        var target = ExpectName("an alias", "JOIN");
        Expect(Keyword.Related, "RELATED", Snippet(offset));
        var source = ExpectName("an alias", "RELATED");
        Expect(TokenKind.Dot, "'.'", Snippet(offset));
        if (Current.Kind is not (TokenKind.Identifier or TokenKind.Keyword))
        {
            FailExpected("a relationship name", Snippet(offset));
        }
        var relationship = _tokens[_index++].Value;
        string? relationshipAlias = null;
        if (Current.Kind == TokenKind.Identifier && !IsGroupBy())
        {
            relationshipAlias = _tokens[_index++].Value;
        }
        return new JoinClause(target, source, relationship, relationshipAlias, offset);
    }

    private MatchClause ParseMatch()
    {
        var offset = Current.Start;
        _index++;
        var nodes = new List<MatchNode> { ParseMatchNode() };
        var edges = new List<MatchEdge>();
        while (Current.Kind is TokenKind.Minus or TokenKind.Lt)
        {
            edges.Add(ParseMatchEdge());
            nodes.Add(ParseMatchNode());
        }
        if (edges.Count == 0)
        {
            FailExpected("a relationship pattern such as -[]->", Snippet(offset));
        }
        return new MatchClause(nodes, edges, offset);
    }

    private MatchNode ParseMatchNode()
    {
        var offset = Current.Start;
        Expect(TokenKind.LParen, "'(' to start a twin pattern", Snippet(PreviousStart()));
        string? alias = null;
        if (Current.Kind == TokenKind.Identifier)
        {
            alias = _tokens[_index++].Value;
        }
        Expect(TokenKind.RParen, "')'", Snippet(offset));
        return new MatchNode(alias, offset);
    }

    private MatchEdge ParseMatchEdge()
    {
        var offset = Current.Start;
        var backward = Accept(TokenKind.Lt);
        ExpectAdjacent(TokenKind.Minus, "'-'", offset);
        ExpectAdjacent(TokenKind.LBracket, "'['", offset);
        string? variable = null;
        if (Current.Kind == TokenKind.Identifier)
        {
            variable = _tokens[_index++].Value;
        }
        var names = new List<string>();
        if (Accept(TokenKind.Colon))
        {
            do
            {
                names.Add(ExpectName("a relationship name", Snippet(offset)));
            }
            while (Accept(TokenKind.Pipe));
        }
        HopRange? hops = null;
        if (Current.Kind == TokenKind.Star)
        {
            var hopsOffset = Current.Start;
            _index++;
            hops = ParseHops(offset);
            if (variable is not null)
            {
                Fail(hopsOffset, "a relationship variable cannot be combined with a hop count (*n)");
            }
        }
        Expect(TokenKind.RBracket, "']'", Snippet(offset));
        ExpectAdjacent(TokenKind.Minus, "'-'", offset);
        var forward = Current.Kind == TokenKind.Gt && Current.Start == AfterPrevious;
        if (forward)
        {
            if (backward)
            {
                Fail(Current.Start, "a relationship pattern cannot point both ways (<-[]->)");
            }
            _index++;
        }
        var direction = forward ? EdgeDirection.Forward : backward ? EdgeDirection.Backward : EdgeDirection.Any;
        return new MatchEdge(direction, variable, names, hops, offset);
    }

    private HopRange ParseHops(int edgeOffset)
    {
        int? min = null, max = null;
        if (Current.Kind == TokenKind.Number)
        {
            min = HopCount();
        }
        if (Accept(TokenKind.DotDot))
        {
            if (Current.Kind != TokenKind.Number)
            {
                FailExpected("the upper hop bound", Snippet(edgeOffset));
            }
            max = HopCount();
            if (min > max)
            {
                Fail(_tokens[_index - 1].Start, $"the hop range {min}..{max} is empty");
            }
        }
        else if (min is null)
        {
            FailExpected("a hop count", Snippet(edgeOffset));
        }
        else
        {
            max = min;
        }
        return new HopRange(min, max);
    }

    private int HopCount()
    {
        var token = _tokens[_index++];
        if (token.Number != Math.Floor(token.Number) || token.Number < 0 || token.Number > _limits.MaxHops)
        {
            Fail(token.Start, $"a hop count must be a whole number from 0 to {_limits.MaxHops}");
        }
        return (int)token.Number;
    }

    private Expr ParseCondition() => ParseOr();

    private Expr ParseOr()
    {
        var left = ParseAnd();
        while (Current.Is(Keyword.Or))
        {
            CountLogicalOperator();
            left = new BinaryExpr(BinaryOp.Or, left, ParseAnd(), left.Offset);
        }
        return left;
    }

    private Expr ParseAnd()
    {
        var left = ParseNot();
        while (Current.Is(Keyword.And))
        {
            CountLogicalOperator();
            left = new BinaryExpr(BinaryOp.And, left, ParseNot(), left.Offset);
        }
        return left;
    }

    private void CountLogicalOperator()
    {
        if (++_logicalOperators > _limits.MaxLogicalOperators)
        {
            Fail(Current.Start, $"too many AND/OR operators; the limit is {_limits.MaxLogicalOperators}");
        }
        _index++;
        if (Current.Kind == TokenKind.End)
        {
            FailExpected("a condition", _tokens[_index - 1].Value.ToUpperInvariant());
        }
    }

    private Expr ParseNot()
    {
        if (Current.Is(Keyword.Not))
        {
            var offset = Current.Start;
            Enter(offset);
            _index++;
            var not = new NotExpr(ParseNot(), offset);
            _nesting--;
            return not;
        }
        return ParsePredicate();
    }

    private void Enter(int offset)
    {
        if (++_nesting > MaxNesting)
        {
            Fail(offset, $"the condition nests parentheses, NOTs and function calls more than {MaxNesting} deep");
        }
    }

    private Expr ParsePredicate()
    {
        if (Current.Kind == TokenKind.LParen)
        {
            var open = Current.Start;
            Enter(open);
            _index++;
            var inner = ParseCondition();
            Expect(TokenKind.RParen, "')'", Snippet(open));
            _nesting--;
            return inner;
        }
        var left = ParseOperand("a condition");
        var op = Current.Kind switch
        {
            TokenKind.Eq => BinaryOp.Eq,
            TokenKind.NotEq => BinaryOp.NotEq,
            TokenKind.Lt => BinaryOp.Lt,
            TokenKind.Gt => BinaryOp.Gt,
            TokenKind.LtEq => BinaryOp.LtEq,
            TokenKind.GtEq => BinaryOp.GtEq,
            _ => (BinaryOp?)null,
        };
        if (op is not null)
        {
            _index++;
            var right = ParseOperand("a value", Snippet(left.Offset));
            return new BinaryExpr(op.Value, left, right, left.Offset);
        }
        if (Current.Is(Keyword.In) || Current.Is(Keyword.Nin) || (Current.Is(Keyword.Not) && Peek().Is(Keyword.In)))
        {
            var negated = !Current.Is(Keyword.In);
            _index += Current.Is(Keyword.Not) ? 2 : 1;
            return new InExpr(left, ParseList(left.Offset), negated, left.Offset);
        }
        if (left is CallExpr or LiteralExpr { Value: JsonValue })
        {
            return left;
        }
        FailExpected("a comparison operator, IN or NIN", Snippet(left.Offset));
        return null;
    }

    private List<LiteralExpr> ParseList(int operandOffset)
    {
        Expect(TokenKind.LBracket, "'['", Snippet(operandOffset));
        var items = new List<LiteralExpr>();
        if (Current.Kind != TokenKind.RBracket)
        {
            do
            {
                if (items.Count == _limits.MaxInItems)
                {
                    Fail(Current.Start, $"too many items in the IN/NIN list; the limit is {_limits.MaxInItems}");
                }
                var item = ParseOperand("a literal");
                if (item is not LiteralExpr literal)
                {
                    Fail(item.Offset, "IN/NIN lists may only contain literals");
                    return null;
                }
                items.Add(literal);
            }
            while (Accept(TokenKind.Comma));
        }
        Expect(TokenKind.RBracket, "']'", Snippet(operandOffset));
        return items;
    }

    private Expr ParseOperand(string what, string? after = null)
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.String:
                _index++;
                return new LiteralExpr(JsonValue.Create(token.Value), token.Start);
            case TokenKind.Number:
                _index++;
                return new LiteralExpr(JsonValue.Create(token.Number), token.Start);
            case TokenKind.Minus when Peek().Kind == TokenKind.Number:
                _index += 2;
                return new LiteralExpr(JsonValue.Create(-Peek(-1).Number), token.Start);
            case TokenKind.Keyword when token.Keyword is Keyword.True or Keyword.False:
                _index++;
                return new LiteralExpr(JsonValue.Create(token.Keyword == Keyword.True), token.Start);
            case TokenKind.Keyword when token.Keyword == Keyword.Null:
                _index++;
                return new LiteralExpr(null, token.Start);
            case TokenKind.Identifier when !token.Escaped && Peek().Kind == TokenKind.LParen:
                return ParseCall();
            case TokenKind.Identifier:
                return ParsePath(what);
        }
        if (token.Kind == TokenKind.End)
        {
            FailExpected(what, after ?? Snippet(PreviousStart()));
        }
        Fail(token.Start, after is null ? $"unexpected {DescribeText(token)}; expected {what}" : $"unexpected {DescribeText(token)}; expected {what} after {after}");
        return null;
    }

    private CallExpr ParseCall()
    {
        var token = Current;
        if (!Functions.TryGetValue(token.Value, out var function))
        {
            Fail(token.Start, $"unknown function '{token.Value}'");
        }
        Enter(token.Start);
        _index += 2;
        var arguments = new List<Expr>();
        if (Current.Kind != TokenKind.RParen)
        {
            do
            {
                arguments.Add(ParseOperand($"an argument of {function.Name}"));
            }
            while (Accept(TokenKind.Comma));
        }
        Expect(TokenKind.RParen, "')'", Snippet(token.Start));
        if (arguments.Count < function.MinArgs || arguments.Count > function.MaxArgs)
        {
            var expected = function.MinArgs == function.MaxArgs ? $"{function.MinArgs}" : $"{function.MinArgs} to {function.MaxArgs}";
            Fail(token.Start, $"{function.Name} takes {expected} argument{(function.MaxArgs == 1 ? "" : "s")}, not {arguments.Count}");
        }
        _nesting--;
        return new CallExpr(function.Name, arguments, token.Start);
    }

    private PathExpr ParsePath(string what)
    {
        var offset = Current.Start;
        if (Current.Kind != TokenKind.Identifier)
        {
            if (Current.Kind == TokenKind.End)
            {
                FailExpected(what, Snippet(PreviousStart()));
            }
            Fail(Current.Start, $"unexpected {DescribeText(Current)}; expected {what}");
        }
        var segments = new List<string> { _tokens[_index++].Value };
        while (Accept(TokenKind.Dot))
        {
            // After a dot every word is a name, so T.from or T.$metadata.top need no escaping.
            if (Current.Kind is not (TokenKind.Identifier or TokenKind.Keyword))
            {
                FailExpected("a property name", Snippet(offset));
            }
            segments.Add(_tokens[_index++].Value);
        }
        return new PathExpr(segments, offset);
    }

    private bool Accept(Keyword keyword)
    {
        if (!Current.Is(keyword))
        {
            return false;
        }
        _index++;
        return true;
    }

    private bool Accept(TokenKind kind)
    {
        if (Current.Kind != kind)
        {
            return false;
        }
        _index++;
        return true;
    }

    private void Expect(Keyword keyword, string what, string? after = null)
    {
        if (!Accept(keyword))
        {
            FailExpected(what, after);
        }
    }

    private void Expect(TokenKind kind, string what, string after)
    {
        if (!Accept(kind))
        {
            FailExpected(what, after);
        }
    }

    /// <summary>Expects a token glued to the previous one, as in the arrows of MATCH patterns.</summary>
    private void ExpectAdjacent(TokenKind kind, string what, int edgeOffset)
    {
        if (Current.Kind != kind || (_index > 0 && Current.Start != AfterPrevious && _tokens[_index - 1].Start >= edgeOffset))
        {
            FailExpected(what, Snippet(edgeOffset));
        }
        _index++;
    }

    private string ExpectName(string what, string after)
    {
        if (Current.Kind != TokenKind.Identifier)
        {
            FailExpected(what, after);
        }
        return _tokens[_index++].Value;
    }

    private int PreviousStart() => _index == 0 ? 0 : _tokens[_index - 1].Start;

    /// <summary>The query text from <paramref name="start"/> to the last token read, for "expected X after ..." messages.</summary>
    private string Snippet(int start)
    {
        var end = AfterPrevious;
        if (end <= start)
        {
            return "the start of the query";
        }
        var snippet = _text[start..end];
        return snippet.Length <= 40 ? snippet : "..." + snippet[^37..];
    }

    [DoesNotReturn]
    private void FailExpected(string what, string? after)
    {
        var found = Current.Kind == TokenKind.End ? "" : $", found {DescribeText(Current)}";
        Fail(AfterPrevious, after is null ? $"expected {what}{found}" : $"expected {what} after {after}{found}");
    }

    private string DescribeText(Token token) => token.Kind switch
    {
        TokenKind.End => "end of query",
        TokenKind.String => "string " + _text[token.Start..token.End],
        TokenKind.Keyword => token.Value.ToUpperInvariant(),
        _ => "'" + _text[token.Start..token.End] + "'",
    };

    [DoesNotReturn]
    private static void Fail(int offset, string message) => QuerySyntaxException.Throw(offset, message);
}
