namespace Doppel.Query.Internal;

internal enum TokenKind
{
    End,
    Identifier,
    Keyword,
    String,
    Number,
    Star,
    Comma,
    Dot,
    DotDot,
    LParen,
    RParen,
    LBracket,
    RBracket,
    Colon,
    Pipe,
    Minus,
    Eq,
    NotEq,
    Lt,
    Gt,
    LtEq,
    GtEq,
}

/// <summary>Reserved words of the ADT query language, matched case-insensitively. Escape them as <c>[[name]]</c> to use them as names.</summary>
internal enum Keyword
{
    None,
    Select,
    From,
    Where,
    And,
    Or,
    Not,
    In,
    Nin,
    Top,
    As,
    Join,
    Related,
    Match,
    DigitalTwins,
    Relationships,
    True,
    False,
    Null,
    Order,
    By,
    Asc,
    Desc,
}

/// <summary>A token: <see cref="Start"/>/<see cref="End"/> are offsets into the query text; <see cref="Value"/> is the unescaped name or string.</summary>
internal readonly record struct Token(TokenKind Kind, int Start, int End, string Value = "", Keyword Keyword = Keyword.None, double Number = 0, bool Escaped = false)
{
    public bool Is(Keyword keyword) => Kind == TokenKind.Keyword && Keyword == keyword;
}
