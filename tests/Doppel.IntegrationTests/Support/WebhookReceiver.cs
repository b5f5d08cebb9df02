using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Doppel.IntegrationTests.Support;

/// <summary>A real HTTP webhook on a free loopback port: answers with scripted statuses (then 200) and hands every request to the test.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<int> _script = new();
    private readonly Channel<ReceivedEvent> _received = Channel.CreateUnbounded<ReceivedEvent>();

    private WebhookReceiver(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/{**path}", async (HttpContext context) =>
        {
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync(context.RequestAborted);
            var status = receiver._script.TryDequeue(out var scripted) ? scripted : 200;
            receiver._received.Writer.TryWrite(new ReceivedEvent(
                context.Request.Path, context.Request.ContentType, context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                JsonNode.Parse(body)!.AsObject(), status)
            { Query = context.Request.QueryString.Value ?? "" });
            return Results.StatusCode(status);
        });
        await app.StartAsync();
        receiver.Url = new Uri(app.Urls.First());
        return receiver;
    }

    /// <summary>The statuses the next requests get, in order; after them, 200.</summary>
    public void AnswerNext(params int[] statuses)
    {
        foreach (var status in statuses)
        {
            _script.Enqueue(status);
        }
    }

    /// <summary>Waits for the next request (the timeout only turns a hang into a failure).</summary>
    public async Task<ReceivedEvent> NextAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await _received.Reader.ReadAsync(timeout.Token);
    }

    public bool TryTake(out ReceivedEvent? received) => _received.Reader.TryRead(out received);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One request the webhook got, and the status it answered.</summary>
public sealed record ReceivedEvent(string Path, string? ContentType, IReadOnlyDictionary<string, string> Headers, JsonObject CloudEvent, int AnsweredStatus)
{
    /// <summary>The query string as received, "?" included ("" for none).</summary>
    public string Query { get; init; } = "";

    public string Type => (string)CloudEvent["type"]!;

    public string Subject => (string)CloudEvent["subject"]!;

    public JsonNode Data => CloudEvent["data"]!;
}
