using System.Net.ServerSentEvents;
using System.Text.Json.Nodes;

namespace Doppel.IntegrationTests.Support;

/// <summary>A Server-Sent Events client over a real HttpClient and the framework's <see cref="SseParser"/>: opens once the server has subscribed, then reads one event at a time.</summary>
internal sealed class SseStream : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly HttpResponseMessage _response;
    private readonly IAsyncEnumerator<SseItem<string>> _items;

    private SseStream(HttpResponseMessage response, IAsyncEnumerator<SseItem<string>> items) => (_response, _items) = (response, items);

    /// <summary>Heartbeat events seen so far.</summary>
    public int Heartbeats { get; private set; }

    /// <summary>Opens the stream and returns after the server's <c>subscribed</c> event, so every later event is seen.</summary>
    public static async Task<SseStream> OpenAsync(HttpClient http, string query)
    {
        var response = await http.GetAsync("/doppel/streams/events" + query, HttpCompletionOption.ResponseHeadersRead).WaitAsync(Patience);
        if (!response.IsSuccessStatusCode)
        {
            // Only a failed response has a body that ends.
            Assert.Fail($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var items = SseParser.Create(await response.Content.ReadAsStreamAsync()).EnumerateAsync().GetAsyncEnumerator();
        var stream = new SseStream(response, items);
        var first = await stream.ReadAsync();
        Assert.Equal("subscribed", first.EventType);
        return stream;
    }

    /// <summary>The next event (heartbeats counted and skipped); fails rather than hangs if none comes.</summary>
    public async Task<SseEvent> NextAsync()
    {
        while (true)
        {
            var item = await ReadAsync();
            if (item.EventType == "heartbeat")
            {
                Heartbeats++;
                continue;
            }
            Assert.DoesNotContain('\n', item.Data); // one data line per event
            return new SseEvent(item.EventId, item.EventType, item.Data);
        }
    }

    /// <summary>The next item of any type, heartbeats included.</summary>
    public async Task<SseItem<string>> ReadAsync()
    {
        if (!await _items.MoveNextAsync().AsTask().WaitAsync(Patience))
        {
            throw new InvalidOperationException("The server ended the stream.");
        }
        return _items.Current;
    }

    public async ValueTask DisposeAsync()
    {
        _response.Dispose();
        try
        {
            await _items.DisposeAsync();
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
    }
}

/// <summary>One Server-Sent Event.</summary>
internal sealed record SseEvent(string? Id, string Type, string Data)
{
    public JsonNode Json => JsonNode.Parse(Data)!;
}
