namespace Doppel.Rules.Internal;

internal enum FilterTokenKind : byte
{
    End,
    Word,
    BodyPath,
    String,
    Number,
    LeftParen,
    RightParen,
    Comma,
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

/// <summary>A token: <see cref="Text"/> is the word, string value or number text; <see cref="Path"/> the segments of a <c>$body</c> path.</summary>
internal readonly record struct FilterToken(FilterTokenKind Kind, int Position, string Text, object[]? Path = null)
{
    public bool IsWord(string word) => Kind == FilterTokenKind.Word && Text.Equals(word, StringComparison.OrdinalIgnoreCase);
}
