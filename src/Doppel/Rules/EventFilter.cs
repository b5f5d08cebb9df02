using Doppel.Events;
using Doppel.Rules.Internal;

namespace Doppel.Rules;

/// <summary>
/// An ADT event route filter (<c>type = 'Microsoft.DigitalTwins.Twin.Update' AND $body.temperature &gt; 50</c>), parsed once
/// into a tree that is matched against every routed event.
/// </summary>
public sealed class EventFilter
{
    private readonly FilterNode _root;

    private EventFilter(string text, FilterNode root, bool readsBody)
    {
        Text = text;
        _root = root;
        ReadsBody = readsBody;
    }

    /// <summary>The filter as written.</summary>
    public string Text { get; }

    /// <summary>True when matching looks into the event's JSON body (which then has to be parsed).</summary>
    public bool ReadsBody { get; }

    /// <summary>Parses a filter; a malformed one gives an <c>EventRouteFilterInvalid</c> error naming the position (1-based character).</summary>
    public static Result<EventFilter> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            var (root, readsBody) = FilterParser.Parse(text);
            return Result<EventFilter>.Ok(new EventFilter(text, root, readsBody));
        }
        catch (FilterSyntaxException e)
        {
            return Result<EventFilter>.Fail("EventRouteFilterInvalid", $"The filter is not valid at position {e.Position + 1}: {e.Message}");
        }
    }

    /// <summary>Whether the event passes; the input caches the parsed body so several filters parse it once.</summary>
    public bool Matches(EventFilterInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return _root.IsTrue(input);
    }

    /// <summary>Whether the event, with CloudEvents <paramref name="source"/>, passes.</summary>
    public bool Matches(TwinEvent e, string source)
    {
        using var input = new EventFilterInput(e, source);
        return Matches(input);
    }

    public override string ToString() => Text;
}
