using System.Text.Json;
using Doppel.Events;

namespace Doppel.Rules;

/// <summary>One event as route filters see it: its CloudEvents attributes and its body, parsed on first use and then shared by every filter.</summary>
public sealed class EventFilterInput : IDisposable
{
    private JsonDocument? _body;
    private bool _bodyParsed;

    /// <param name="e">The event.</param>
    /// <param name="source">The CloudEvents <c>source</c> the event is delivered with.</param>
    public EventFilterInput(TwinEvent e, string source)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(source);
        Event = e;
        Source = source;
    }

    public TwinEvent Event { get; }

    public string Source { get; }

    /// <summary>The body's root, or null when it is not JSON (then every <c>$body</c> comparison is false).</summary>
    internal JsonElement? Body
    {
        get
        {
            if (!_bodyParsed)
            {
                _bodyParsed = true;
                try
                {
                    _body = JsonDocument.Parse(Event.Data);
                }
                catch (JsonException)
                {
                    _body = null;
                }
            }
            return _body?.RootElement;
        }
    }

    public void Dispose() => _body?.Dispose();
}
