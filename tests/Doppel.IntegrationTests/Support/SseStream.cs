using System.Text.Json.Nodes;

namespace Doppel.IntegrationTests.Support;

/// <summary>A Server-Sent Events client over a real HttpClient: opens once the server has subscribed, then reads one event at a time.</summary>
internal sealed class SseStream : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private SseStream(HttpResponseMessage response, StreamReader reader) => (_response, _reader) = (response, reader);

    /// <summary>Comments seen so far (heartbeats, the subscribed note).</summary>
    public List<string> Comments { get; } = [];

    /// <summary>Opens the stream and returns after the server's ": subscribed" comment, so every later event is seen.</summary>
    public static async Task<SseStream> OpenAsync(HttpClient http, string query)
    {
        var response = await http.GetAsync("/doppel/streams/events" + query, HttpCompletionOption.ResponseHeadersRead).WaitAsync(Patience);
        if (!response.IsSuccessStatusCode)
        {
            // Only a failed response has a body that ends.
            Assert.Fail($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var stream = new SseStream(response, new StreamReader(await response.Content.ReadAsStreamAsync()));
        Assert.Equal(": subscribed", await stream._reader.ReadLineAsync().WaitAsync(Patience));
        return stream;
    }

    /// <summary>The next event (comments skipped); fails rather than hangs if none comes.</summary>
    public async Task<SseEvent> NextAsync()
    {
        string? id = null, type = null, data = null;
        while (await _reader.ReadLineAsync().WaitAsync(Patience) is { } line)
        {
            if (line.StartsWith(':'))
            {
                Comments.Add(line);
            }
            else if (line.Length == 0)
            {
                if (type is not null)
                {
                    return new SseEvent(id, type, data ?? "");
                }
            }
            else
            {
                var colon = line.IndexOf(": ", StringComparison.Ordinal);
                var field = colon >= 0 ? line[..colon] : line;
                var value = colon >= 0 ? line[(colon + 2)..] : "";
                switch (field)
                {
                    case "id": id = value; break;
                    case "event": type = value; break;
                    case "data": Assert.Null(data); data = value; break; // one line per event
                }
            }
        }
        throw new InvalidOperationException("The server ended the stream.");
    }

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        await Task.CompletedTask;
    }
}

/// <summary>One Server-Sent Event.</summary>
internal sealed record SseEvent(string? Id, string Type, string Data)
{
    public JsonNode Json => JsonNode.Parse(Data)!;
}
