using System.Text;
using Doppel.Events;
using Doppel.Rules;
using FsCheck;
using FsCheck.Fluent;

namespace Doppel.Tests.Rules;

/// <summary>ADT's event route filter language: what it accepts, what it refuses (with the position), and what it matches.</summary>
public sealed class EventFilterTests
{
    private static readonly DateTimeOffset Time = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    private static TwinEvent Telemetry(string body) =>
        TwinEvents.Telemetry("room-1", "dtmi:example:Room;1", null, Encoding.UTF8.GetBytes(body), Time, "m1");

    private static TwinEvent Created() => new(
        "e1", TwinEventTypes.TwinCreate, "room-1", "dtmi:example:Room;1", "room-1", Time,
        Encoding.UTF8.GetBytes("""{"$dtId":"room-1","$metadata":{"$model":"dtmi:example:Room;1"},"name":"Kitchen","tags":["a","b"]}"""));

    private static bool Matches(string filter, TwinEvent e)
    {
        var parsed = EventFilter.Parse(filter);
        Assert.True(parsed.IsSuccess, $"'{filter}' was refused: {parsed.Error}");
        return parsed.Value.Matches(e, "doppel.local");
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    [InlineData("type = 'Microsoft.DigitalTwins.Twin.Create'", true)]
    [InlineData("type != 'Microsoft.DigitalTwins.Twin.Create'", false)]
    [InlineData("TYPE = 'Microsoft.DigitalTwins.Twin.Create' and subject = 'room-1'", true)]
    [InlineData("source = 'doppel.local' AND id = 'e1' AND specversion = '1.0'", true)]
    [InlineData("dataschema = 'dtmi:example:Room;1' AND datacontenttype = 'application/json'", true)]
    [InlineData("$body.$metadata.$model = 'dtmi:example:Room;1'", true)]
    [InlineData("$body.name = 'Kitchen'", true)]
    [InlineData("$body.tags[1] = 'b'", true)]
    [InlineData("$body['name'] = 'Kitchen'", true)]
    [InlineData("$body.missing = 'x'", false)]
    [InlineData("$body.missing != 'x'", false)]
    [InlineData("NOT $body.missing = 'x'", true)]
    [InlineData("STARTS_WITH(type, 'Microsoft.DigitalTwins.')", true)]
    [InlineData("ENDS_WITH(subject, '-1') AND CONTAINS($body.name, 'itch')", true)]
    [InlineData("starts_with($body.name, 'kit')", false)]
    [InlineData("type = 'microsoft.iot.telemetry' OR (subject = 'room-1' AND NOT false)", true)]
    [InlineData("'room-1' = subject", true)]
    [InlineData("$body.name > 'A' AND $body.name < 'Z'", true)]
    public void Filters_match_twin_lifecycle_events_on_attributes_and_body(string filter, bool expected) =>
        Assert.Equal(expected, Matches(filter, Created()));

    [Theory]
    [InlineData("type = 'microsoft.iot.telemetry' AND $body.temperature > 50", """{"temperature":51}""", true)]
    [InlineData("type = 'microsoft.iot.telemetry' AND $body.temperature > 50", """{"temperature":50}""", false)]
    [InlineData("$body.temperature >= 50 AND $body.temperature <= 50.0", """{"temperature":50}""", true)]
    [InlineData("$body.temperature < -1.5e1", """{"temperature":-20}""", true)]
    [InlineData("$body.temperature > 50", """{"temperature":"hot"}""", false)]
    [InlineData("$body.temperature = '51'", """{"temperature":51}""", false)]
    [InlineData("$body.on = true", """{"on":true}""", true)]
    [InlineData("$body.on != false", """{"on":true}""", true)]
    [InlineData("$body.reading = null", """{"reading":null}""", true)]
    [InlineData("$body.a.b = 1", """{"a":{"b":1}}""", true)]
    [InlineData("$body.a = 1", """{"a":{"b":1}}""", false)]
    [InlineData("$body.t > 1", "not json", false)]
    public void Telemetry_filters_compare_body_values_by_type(string filter, string body, bool expected) =>
        Assert.Equal(expected, Matches(filter, Telemetry(body)));

    [Theory]
    [InlineData("", 1, "empty")]
    [InlineData("type = ", 8, "value was expected")]
    [InlineData("type == 'x'", 7, "expected a value")]
    [InlineData("type = 'x' AND", 15, "value was expected")]
    [InlineData("kind = 'x'", 1, "unknown attribute 'kind'")]
    [InlineData("type = 'unclosed", 8, "not closed")]
    [InlineData("type = \"x\"", 8, "single quotes")]
    [InlineData("(type = 'x'", 12, "expected ')'")]
    [InlineData("type = 'x' subject = 'y'", 12, "expected AND, OR")]
    [InlineData("STARTS_WITH(type 'x')", 18, "','")]
    [InlineData("$body = 'x'", 1, "member path")]
    [InlineData("$dtId = 'x'", 1, "only $body")]
    [InlineData("type", 5, "ends after 'type'")]
    [InlineData("$body.a[x] = 1", 9, "array index")]
    [InlineData("type = 'a' & subject = 'b'", 12, "unexpected character '&'")]
    public void Malformed_filters_are_refused_with_the_position(string filter, int position, string reason)
    {
        var parsed = EventFilter.Parse(filter);

        Assert.False(parsed.IsSuccess);
        Assert.Equal("EventRouteFilterInvalid", parsed.Error.Code);
        Assert.Contains($"at position {position}:", parsed.Error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, parsed.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Filters_say_whether_they_read_the_body()
    {
        Assert.False(EventFilter.Parse("type = 'x' OR subject = 'y'").Value!.ReadsBody);
        Assert.True(EventFilter.Parse("type = 'x' OR $body.a = 1").Value!.ReadsBody);
    }

    [Fact]
    public void Strings_escape_quotes_by_doubling_them()
    {
        var e = Telemetry("""{"name":"it's"}""");
        Assert.True(Matches("$body.name = 'it''s'", e));
        Assert.True(Matches(@"$body.name = 'it\'s'", e));
    }

    // Random AND/OR/NOT trees over atoms whose truth is known, printed as filter text: the filter must agree with C#'s own
    // evaluation of the tree, which checks precedence (NOT > AND > OR), associativity and parentheses.
    private abstract record Expr;

    private sealed record Atom(bool Value) : Expr;

    private sealed record Not(Expr Operand) : Expr;

    private sealed record Binary(bool IsAnd, Expr Left, Expr Right) : Expr;

    private static Gen<Expr> Exprs(int size) => size <= 0
        ? Gen.Elements(true, false).Select(v => (Expr)new Atom(v))
        : Gen.OneOf(
            Gen.Elements(true, false).Select(v => (Expr)new Atom(v)),
            Exprs(size / 2).Select(e => (Expr)new Not(e)),
            Gen.Elements(true, false).SelectMany(and => Exprs(size / 2).SelectMany(l => Exprs(size / 2).Select(r => (Expr)new Binary(and, l, r)))));

    private static bool Reference(Expr e) => e switch
    {
        Atom a => a.Value,
        Not n => !Reference(n.Operand),
        Binary { IsAnd: true } b => Reference(b.Left) && Reference(b.Right),
        Binary b => Reference(b.Left) || Reference(b.Right),
        _ => throw new ArgumentOutOfRangeException(nameof(e)),
    };

    // Atoms alternate between literals and attribute comparisons; every operand is parenthesised as needed by precedence.
    private static string Print(Expr e, int parent) => e switch
    {
        Atom { Value: true } => "subject = 'room-1'",
        Atom => "$body.temperature > 100",
        Not n => "NOT " + Print(n.Operand, 3),
        Binary b => Wrap(Print(b.Left, b.IsAnd ? 2 : 1) + (b.IsAnd ? " AND " : " OR ") + Print(b.Right, b.IsAnd ? 2 : 1), b.IsAnd ? 2 : 1, parent),
        _ => throw new ArgumentOutOfRangeException(nameof(e)),
    };

    private static string Wrap(string text, int precedence, int parent) => precedence < parent ? $"({text})" : text;

    [Fact]
    public void Boolean_structure_matches_a_reference_evaluation() =>
        Prop.ForAll(Arb.From(Gen.Sized(Exprs)), expr => Matches(Print(expr, 0), Telemetry("""{"temperature":20}""")) == Reference(expr))
            .QuickCheckThrowOnFailure();
}
