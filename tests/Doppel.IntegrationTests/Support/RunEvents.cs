using System.Text.Json.Nodes;

namespace Doppel.IntegrationTests.Support;

/// <summary>Waits on a run's own events (<c>/doppel/runs/{id}/events</c>, Server-Sent Events) until its state meets a condition.</summary>
internal static class RunEvents
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    /// <summary>Every state the run's stream sends, until the server ends it.</summary>
    public static async Task<List<JsonNode>> AllAsync(HttpClient http, string id)
    {
        var states = new List<JsonNode>();
        using var reader = await OpenAsync(http, id);
        while (await reader.ReadLineAsync().WaitAsync(Patience) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                states.Add(JsonNode.Parse(line["data: ".Length..])!);
            }
        }
        return states;
    }

    /// <summary>The first state of the run that meets <paramref name="done"/>; fails if the stream ends first or nothing comes.</summary>
    public static async Task<JsonNode> UntilAsync(HttpClient http, string id, Func<JsonNode, bool> done, string what)
    {
        using var reader = await OpenAsync(http, id);
        JsonNode? last = null;
        while (await reader.ReadLineAsync().WaitAsync(Patience) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                last = JsonNode.Parse(line["data: ".Length..])!;
                if (done(last))
                {
                    return last;
                }
            }
        }
        Assert.Fail($"Run {id}'s events ended before {what}; its last state: {last?.ToJsonString()}");
        return last!;
    }

    private static async Task<StreamReader> OpenAsync(HttpClient http, string id)
    {
        var response = await http.GetAsync($"/doppel/runs/{Uri.EscapeDataString(id)}/events", HttpCompletionOption.ResponseHeadersRead).WaitAsync(Patience);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} following run {id}");
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        // The reader owns the response's stream; disposing it ends the request.
        return new StreamReader(await response.Content.ReadAsStreamAsync());
    }
}
