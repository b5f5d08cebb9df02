using System.Globalization;
using System.Text;

namespace Doppel.Query.Internal;

/// <summary>Splits query text into tokens of the full ADT query language.</summary>
internal static class Lexer
{
    private static readonly Dictionary<string, Keyword> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        ["SELECT"] = Keyword.Select,
        ["FROM"] = Keyword.From,
        ["WHERE"] = Keyword.Where,
        ["AND"] = Keyword.And,
        ["OR"] = Keyword.Or,
        ["NOT"] = Keyword.Not,
        ["IN"] = Keyword.In,
        ["NIN"] = Keyword.Nin,
        ["TOP"] = Keyword.Top,
        ["AS"] = Keyword.As,
        ["JOIN"] = Keyword.Join,
        ["RELATED"] = Keyword.Related,
        ["MATCH"] = Keyword.Match,
        ["DIGITALTWINS"] = Keyword.DigitalTwins,
        ["RELATIONSHIPS"] = Keyword.Relationships,
        ["TRUE"] = Keyword.True,
        ["FALSE"] = Keyword.False,
        ["NULL"] = Keyword.Null,
        ["ORDER"] = Keyword.Order,
        ["BY"] = Keyword.By,
        ["ASC"] = Keyword.Asc,
        ["DESC"] = Keyword.Desc,
    };

    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }
            if (i >= text.Length)
            {
                tokens.Add(new Token(TokenKind.End, i, i));
                return tokens;
            }
            var start = i;
            var c = text[i];
            var next = i + 1 < text.Length ? text[i + 1] : '\0';
            switch (c)
            {
                case '*': tokens.Add(new Token(TokenKind.Star, start, ++i)); continue;
                case ',': tokens.Add(new Token(TokenKind.Comma, start, ++i)); continue;
                case '(': tokens.Add(new Token(TokenKind.LParen, start, ++i)); continue;
                case ')': tokens.Add(new Token(TokenKind.RParen, start, ++i)); continue;
                case ']': tokens.Add(new Token(TokenKind.RBracket, start, ++i)); continue;
                case ':': tokens.Add(new Token(TokenKind.Colon, start, ++i)); continue;
                case '|': tokens.Add(new Token(TokenKind.Pipe, start, ++i)); continue;
                case '-': tokens.Add(new Token(TokenKind.Minus, start, ++i)); continue;
                case '=': tokens.Add(new Token(TokenKind.Eq, start, ++i)); continue;
                case '.':
                    if (next == '.')
                    {
                        tokens.Add(new Token(TokenKind.DotDot, start, i += 2));
                    }
                    else
                    {
                        tokens.Add(new Token(TokenKind.Dot, start, ++i));
                    }
                    continue;
                case '!':
                    if (next != '=')
                    {
                        QuerySyntaxException.Throw(start, "unexpected character '!' (did you mean '!='?)");
                    }
                    tokens.Add(new Token(TokenKind.NotEq, start, i += 2));
                    continue;
                case '<':
                    if (next == '=')
                    {
                        tokens.Add(new Token(TokenKind.LtEq, start, i += 2));
                    }
                    else if (next == '>')
                    {
                        tokens.Add(new Token(TokenKind.NotEq, start, i += 2));
                    }
                    else
                    {
                        tokens.Add(new Token(TokenKind.Lt, start, ++i));
                    }
                    continue;
                case '>':
                    if (next == '=')
                    {
                        tokens.Add(new Token(TokenKind.GtEq, start, i += 2));
                    }
                    else
                    {
                        tokens.Add(new Token(TokenKind.Gt, start, ++i));
                    }
                    continue;
                case '[':
                    if (next == '[')
                    {
                        i = EscapedName(text, start, tokens);
                    }
                    else
                    {
                        tokens.Add(new Token(TokenKind.LBracket, start, ++i));
                    }
                    continue;
                case '\'':
                case '"':
                    i = StringLiteral(text, start, tokens);
                    continue;
            }
            if (char.IsAsciiDigit(c))
            {
                i = NumberLiteral(text, start, tokens);
            }
            else if (c == '$' || c == '_' || char.IsLetter(c))
            {
                i++;
                while (i < text.Length && (text[i] == '_' || text[i] == '$' || char.IsLetterOrDigit(text[i])))
                {
                    i++;
                }
                var word = text[start..i];
                tokens.Add(Keywords.TryGetValue(word, out var keyword)
                    ? new Token(TokenKind.Keyword, start, i, word, keyword)
                    : new Token(TokenKind.Identifier, start, i, word));
            }
            else
            {
                QuerySyntaxException.Throw(start, $"unexpected character '{c}'");
            }
        }
    }

    private static int EscapedName(string text, int start, List<Token> tokens)
    {
        var close = text.IndexOf("]]", start + 2, StringComparison.Ordinal);
        if (close < 0)
        {
            QuerySyntaxException.Throw(text.Length, "expected ']]' to close the escaped name");
        }
        var name = text[(start + 2)..close];
        if (name.Length == 0)
        {
            QuerySyntaxException.Throw(start, "empty escaped name '[[]]'");
        }
        tokens.Add(new Token(TokenKind.Identifier, start, close + 2, name, Escaped: true));
        return close + 2;
    }

    private static int StringLiteral(string text, int start, List<Token> tokens)
    {
        var quote = text[start];
        var value = new StringBuilder();
        var i = start + 1;
        while (true)
        {
            if (i >= text.Length)
            {
                QuerySyntaxException.Throw(text.Length, $"expected {quote} to close the string that starts at {Describe(text, start)}");
            }
            var c = text[i];
            if (c == quote)
            {
                tokens.Add(new Token(TokenKind.String, start, i + 1, value.ToString()));
                return i + 1;
            }
            if (c != '\\')
            {
                value.Append(c);
                i++;
                continue;
            }
            if (i + 1 >= text.Length)
            {
                QuerySyntaxException.Throw(text.Length, $"expected {quote} to close the string that starts at {Describe(text, start)}");
            }
            var escaped = text[i + 1];
            switch (escaped)
            {
                case '\'' or '"' or '\\' or '/': value.Append(escaped); break;
                case 'b': value.Append('\b'); break;
                case 'f': value.Append('\f'); break;
                case 'n': value.Append('\n'); break;
                case 'r': value.Append('\r'); break;
                case 't': value.Append('\t'); break;
                case 'u':
                    ushort code = 0;
                    if (i + 6 > text.Length || !ushort.TryParse(text.AsSpan(i + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out code))
                    {
                        QuerySyntaxException.Throw(i, "expected four hex digits after \\u");
                    }
                    value.Append((char)code);
                    i += 4;
                    break;
                default:
                    QuerySyntaxException.Throw(i, $"unknown escape sequence '\\{escaped}'");
                    break;
            }
            i += 2;
        }
    }

    private static int NumberLiteral(string text, int start, List<Token> tokens)
    {
        var i = start;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }
        // "3..5" is a hop range, so a dot is a decimal point only when a digit follows.
        if (i + 1 < text.Length && text[i] == '.' && char.IsAsciiDigit(text[i + 1]))
        {
            i++;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }
        }
        if (i < text.Length && (text[i] == 'e' || text[i] == 'E'))
        {
            var j = i + 1;
            if (j < text.Length && (text[j] == '+' || text[j] == '-'))
            {
                j++;
            }
            if (j < text.Length && char.IsAsciiDigit(text[j]))
            {
                i = j;
                while (i < text.Length && char.IsAsciiDigit(text[i]))
                {
                    i++;
                }
            }
        }
        if (i < text.Length && (char.IsLetter(text[i]) || text[i] == '_' || text[i] == '$'))
        {
            QuerySyntaxException.Throw(start, $"malformed number '{text[start..(i + 1)]}'");
        }
        var number = double.Parse(text.AsSpan(start, i - start), NumberStyles.Float, CultureInfo.InvariantCulture);
        if (!double.IsFinite(number))
        {
            // It would parse as infinity, which no JSON value (and so no twin property) can be.
            QuerySyntaxException.Throw(start, $"the number '{(i - start > 40 ? text[start..(start + 40)] + "…" : text[start..i])}' is too large");
        }
        tokens.Add(new Token(TokenKind.Number, start, i, text[start..i], Number: number));
        return i;
    }

    private static string Describe(string text, int offset)
    {
        var (line, column) = SourceText.Position(text, offset);
        return $"{line}:{column}";
    }
}
