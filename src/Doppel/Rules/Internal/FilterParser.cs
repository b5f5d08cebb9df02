using System.Globalization;

namespace Doppel.Rules.Internal;

/// <summary>
/// Recursive descent over ADT's filter grammar:
/// <code>
/// filter  := or END
/// or      := and (OR and)*
/// and     := unary (AND unary)*
/// unary   := NOT unary | '(' or ')' | func '(' operand ',' operand ')' | operand op operand | true | false
/// operand := attribute | $body.path | 'string' | number | true | false | null
/// </code>
/// </summary>
internal sealed class FilterParser
{
    private static readonly string[] Functions = ["STARTS_WITH", "ENDS_WITH", "CONTAINS"];

    private readonly List<FilterToken> _tokens;
    private int _next;
    private bool _readsBody;
    private int _nesting;

    /// <summary>NOTs and parentheses inside one another: far more than any real filter, and few enough that parsing and matching recurse well within a thread's stack (deeper input overflowed it).</summary>
    internal const int MaxNesting = 64;

    private FilterParser(List<FilterToken> tokens) => _tokens = tokens;

    public static (FilterNode Root, bool ReadsBody) Parse(string text)
    {
        var parser = new FilterParser(FilterLexer.Tokenize(text));
        if (parser.Peek.Kind == FilterTokenKind.End)
        {
            FilterSyntaxException.Throw(0, "the filter is empty; 'true' routes every event.");
        }
        var root = parser.Or();
        if (parser.Peek.Kind != FilterTokenKind.End)
        {
            FilterSyntaxException.Throw(parser.Peek.Position, $"expected AND, OR or the end of the filter, found '{parser.Peek.Text}'.");
        }
        return (root, parser._readsBody);
    }

    private FilterToken Peek => _tokens[_next];

    private FilterToken Take() => _tokens[_next++];

    private FilterNode Or()
    {
        var left = And();
        while (Peek.IsWord("OR"))
        {
            Take();
            left = new OrNode(left, And());
        }
        return left;
    }

    private FilterNode And()
    {
        var left = Unary();
        while (Peek.IsWord("AND"))
        {
            Take();
            left = new AndNode(left, Unary());
        }
        return left;
    }

    private FilterNode Unary()
    {
        var token = Peek;
        if (token.IsWord("NOT"))
        {
            Enter(token);
            var not = new NotNode(Unary());
            _nesting--;
            return not;
        }
        if (token.Kind == FilterTokenKind.LeftParen)
        {
            Enter(token);
            var inner = Or();
            Expect(FilterTokenKind.RightParen, "')'");
            _nesting--;
            return inner;
        }
        if (token.Kind == FilterTokenKind.Word && Array.Find(Functions, f => token.IsWord(f)) is { } function)
        {
            Take();
            Expect(FilterTokenKind.LeftParen, $"'(' after {function}");
            var text = Operand();
            Expect(FilterTokenKind.Comma, $"',' between the arguments of {function}");
            var part = Operand();
            Expect(FilterTokenKind.RightParen, $"')' closing {function}");
            return new StringFunctionNode(function, text, part);
        }
        var left = Operand();
        if (IsComparison(Peek.Kind))
        {
            var op = Take().Kind;
            return new CompareNode(op, left, Operand());
        }
        if (left is LiteralOperand { Value.Kind: FilterValueKind.Boolean } constant)
        {
            return new ConstantNode(constant.Value.Boolean);
        }
        FilterSyntaxException.Throw(Peek.Position, Peek.Kind == FilterTokenKind.End
            ? $"the filter ends after '{token.Text}'; expected a comparison such as {token.Text} = '...'."
            : $"expected a comparison operator (=, !=, <, >, <=, >=) after '{token.Text}', found '{Peek.Text}'.");
        return null;
    }

    private void Enter(FilterToken token)
    {
        if (++_nesting > MaxNesting)
        {
            FilterSyntaxException.Throw(token.Position, $"NOTs and parentheses nest more than {MaxNesting} deep.");
        }
        Take();
    }

    private Operand Operand()
    {
        var token = Take();
        switch (token.Kind)
        {
            case FilterTokenKind.String:
                return new LiteralOperand(FilterValue.Of(token.Text));
            case FilterTokenKind.Number:
                return new LiteralOperand(new FilterValue(FilterValueKind.Number, Number: double.Parse(token.Text, NumberStyles.Float, CultureInfo.InvariantCulture)));
            case FilterTokenKind.BodyPath:
                _readsBody = true;
                return new BodyOperand(token.Path!);
            case FilterTokenKind.Word when token.IsWord("true") || token.IsWord("false"):
                return new LiteralOperand(new FilterValue(FilterValueKind.Boolean, Boolean: token.IsWord("true")));
            case FilterTokenKind.Word when token.IsWord("null"):
                return new LiteralOperand(new FilterValue(FilterValueKind.Null));
            case FilterTokenKind.Word when Array.Find(AttributeOperand.Names, n => token.IsWord(n)) is { } name:
                return new AttributeOperand(name);
            case FilterTokenKind.Word:
                FilterSyntaxException.Throw(token.Position, $"unknown attribute '{token.Text}'; expected one of {string.Join(", ", AttributeOperand.Names)}, or $body.<path>.");
                break;
            case FilterTokenKind.End:
                FilterSyntaxException.Throw(token.Position, "the filter ends where a value was expected.");
                break;
            default:
                FilterSyntaxException.Throw(token.Position, $"expected a value (an attribute, $body.<path>, a quoted string, a number), found '{token.Text}'.");
                break;
        }
        return null;
    }

    private void Expect(FilterTokenKind kind, string what)
    {
        if (Peek.Kind != kind)
        {
            FilterSyntaxException.Throw(Peek.Position, Peek.Kind == FilterTokenKind.End ? $"expected {what}, but the filter ends." : $"expected {what}, found '{Peek.Text}'.");
        }
        Take();
    }

    private static bool IsComparison(FilterTokenKind kind) => kind is FilterTokenKind.Equal or FilterTokenKind.NotEqual or FilterTokenKind.Less
        or FilterTokenKind.LessOrEqual or FilterTokenKind.Greater or FilterTokenKind.GreaterOrEqual;
}
