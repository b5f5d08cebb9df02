using System.Globalization;
using System.Text;

namespace Doppel.Rules.Internal;

/// <summary>Splits a filter into tokens. <c>$body</c> paths are one token whose segments are member names (string) or array indexes (int).</summary>
internal static class FilterLexer
{
    public static List<FilterToken> Tokenize(string text)
    {
        var tokens = new List<FilterToken>();
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }
            if (i == text.Length)
            {
                tokens.Add(new FilterToken(FilterTokenKind.End, i, ""));
                return tokens;
            }
            var start = i;
            var c = text[i];
            switch (c)
            {
                case '(':
                    tokens.Add(new(FilterTokenKind.LeftParen, i++, "("));
                    break;
                case ')':
                    tokens.Add(new(FilterTokenKind.RightParen, i++, ")"));
                    break;
                case ',':
                    tokens.Add(new(FilterTokenKind.Comma, i++, ","));
                    break;
                case '=':
                    tokens.Add(new(FilterTokenKind.Equal, i++, "="));
                    break;
                case '!' when Next(text, i) == '=':
                    tokens.Add(new(FilterTokenKind.NotEqual, i, "!="));
                    i += 2;
                    break;
                case '<' when Next(text, i) == '>':
                    tokens.Add(new(FilterTokenKind.NotEqual, i, "<>"));
                    i += 2;
                    break;
                case '<' when Next(text, i) == '=':
                    tokens.Add(new(FilterTokenKind.LessOrEqual, i, "<="));
                    i += 2;
                    break;
                case '<':
                    tokens.Add(new(FilterTokenKind.Less, i++, "<"));
                    break;
                case '>' when Next(text, i) == '=':
                    tokens.Add(new(FilterTokenKind.GreaterOrEqual, i, ">="));
                    i += 2;
                    break;
                case '>':
                    tokens.Add(new(FilterTokenKind.Greater, i++, ">"));
                    break;
                case '\'':
                    tokens.Add(new(FilterTokenKind.String, start, ReadString(text, ref i)));
                    break;
                case '$':
                    tokens.Add(ReadBodyPath(text, ref i));
                    break;
                default:
                    if (char.IsAsciiDigit(c) || ((c is '-' or '.') && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
                    {
                        tokens.Add(ReadNumber(text, ref i));
                    }
                    else if (IsNameStart(c))
                    {
                        while (i < text.Length && IsNamePart(text[i]))
                        {
                            i++;
                        }
                        tokens.Add(new(FilterTokenKind.Word, start, text[start..i]));
                    }
                    else if (c == '"')
                    {
                        FilterSyntaxException.Throw(i, "strings are written in single quotes, e.g. 'Microsoft.DigitalTwins.Twin.Update'.");
                    }
                    else
                    {
                        FilterSyntaxException.Throw(i, $"unexpected character '{c}'.");
                    }
                    break;
            }
        }
    }

    private static char Next(string text, int i) => i + 1 < text.Length ? text[i + 1] : '\0';

    private static bool IsNameStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private static bool IsNamePart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    // Single-quoted, a quote inside doubled ('it''s') or escaped (\').
    private static string ReadString(string text, ref int i)
    {
        var start = i++;
        var value = new StringBuilder();
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length)
            {
                value.Append(text[i + 1]);
                i += 2;
            }
            else if (c == '\'' && Next(text, i) == '\'')
            {
                value.Append('\'');
                i += 2;
            }
            else if (c == '\'')
            {
                i++;
                return value.ToString();
            }
            else
            {
                value.Append(c);
                i++;
            }
        }
        FilterSyntaxException.Throw(start, "the string is not closed with a single quote.");
        return "";
    }

    private static FilterToken ReadNumber(string text, ref int i)
    {
        var start = i;
        if (text[i] == '-')
        {
            i++;
        }
        while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.' || text[i] is 'e' or 'E'
            || (text[i] is '+' or '-' && text[i - 1] is 'e' or 'E')))
        {
            i++;
        }
        var number = text[start..i];
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            FilterSyntaxException.Throw(start, $"'{number}' is not a number.");
        }
        return new FilterToken(FilterTokenKind.Number, start, number);
    }

    // $body, then .member (names may start with '$', as in $metadata) or [index] or ['member'] segments.
    private static bool HasLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }
        return false;
    }

    private static FilterToken ReadBodyPath(string text, ref int i)
    {
        var start = i;
        const string Body = "$body";
        if (string.Compare(text, i, Body, 0, Body.Length, StringComparison.OrdinalIgnoreCase) != 0
            || (i + Body.Length < text.Length && IsNamePart(text[i + Body.Length])))
        {
            FilterSyntaxException.Throw(i, "only $body.<path> starts with '$' (e.g. $body.$metadata.$model).");
        }
        i += Body.Length;
        var path = new List<object>();
        while (i < text.Length && text[i] is '.' or '[')
        {
            if (text[i] == '.')
            {
                var nameStart = ++i;
                if (i < text.Length && text[i] == '$')
                {
                    i++;
                }
                while (i < text.Length && (IsNamePart(text[i]) || text[i] == '-'))
                {
                    i++;
                }
                if (i == nameStart || (i == nameStart + 1 && text[nameStart] == '$'))
                {
                    FilterSyntaxException.Throw(nameStart, "expected a member name after '.'.");
                }
                path.Add(text[nameStart..i]);
            }
            else if (Next(text, i) == '\'')
            {
                var nameStart = ++i;
                var name = ReadString(text, ref i);
                if (HasLoneSurrogate(name))
                {
                    // A body's member names are UTF-8; one with half a surrogate pair cannot be looked up (it threw).
                    FilterSyntaxException.Throw(nameStart, "the member name holds a lone UTF-16 surrogate.");
                }
                path.Add(name);
                ExpectClose(text, ref i);
            }
            else
            {
                var indexStart = ++i;
                while (i < text.Length && char.IsAsciiDigit(text[i]))
                {
                    i++;
                }
                if (i == indexStart || !int.TryParse(text.AsSpan(indexStart, i - indexStart), CultureInfo.InvariantCulture, out var index))
                {
                    FilterSyntaxException.Throw(indexStart, "expected an array index or a quoted member name after '['.");
                    return default;
                }
                path.Add(index);
                ExpectClose(text, ref i);
            }
        }
        if (path.Count == 0)
        {
            FilterSyntaxException.Throw(start, "$body needs a member path, e.g. $body.Temperature.");
        }
        return new FilterToken(FilterTokenKind.BodyPath, start, text[start..i], [.. path]);
    }

    private static void ExpectClose(string text, ref int i)
    {
        if (i >= text.Length || text[i] != ']')
        {
            FilterSyntaxException.Throw(i, "expected ']'.");
        }
        i++;
    }
}
