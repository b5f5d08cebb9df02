using System.Net.ServerSentEvents;
using System.Text.Json.Nodes;

namespace Doppel.IntegrationTests.Support;

/// <summary>Waits on a run's own events (<c>/doppel/runs/{id}/events</c>, Server-Sent Events read by <see cref="SseParser"/>) until its state meets a condition.</summary>
internal static class RunEvents
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    /// <summary>Every state the run's stream sends, until the server ends it.</summary>
    public static async Task<List<JsonNode>> AllAsync(HttpClient http, string id)
    {
        var states = new List<JsonNode>();
        await foreach (var state in StatesAsync(http, id))
        {
            states.Add(state);
        }
        return states;
    }

    /// <summary>The first state of the run that meets <paramref name="done"/>; fails if the stream ends first or nothing comes.</summary>
    public static async Task<JsonNode> UntilAsync(HttpClient http, string id, Func<JsonNode, bool> done, string what)
    {
        JsonNode? last = null;
        await foreach (var state in StatesAsync(http, id))
        {
            last = state;
            if (done(last))
            {
                return last;
            }
        }
        Assert.Fail($"Run {id}'s events ended before {what}; its last state: {last?.ToJsonString()}");
        return last!;
    }

    /// <summary>The run's states (its <c>run</c> events); heartbeats are skipped. Each wait is bounded, so a silent server fails the test.</summary>
    private static async IAsyncEnumerable<JsonNode> StatesAsync(HttpClient http, string id)
    {
        using var response = await http.GetAsync($"/doppel/runs/{Uri.EscapeDataString(id)}/events", HttpCompletionOption.ResponseHeadersRead).WaitAsync(Patience);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} following run {id}");
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        await using var items = SseParser.Create(await response.Content.ReadAsStreamAsync()).EnumerateAsync().GetAsyncEnumerator();
        while (await items.MoveNextAsync().AsTask().WaitAsync(Patience))
        {
            if (items.Current.EventType == "run")
            {
                yield return JsonNode.Parse(items.Current.Data)!;
            }
        }
    }
}
