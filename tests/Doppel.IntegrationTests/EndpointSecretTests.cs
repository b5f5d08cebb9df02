using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Doppel.IntegrationTests.Support;
using Doppel.Server;
using Doppel.Server.Routing;
using Microsoft.Extensions.Logging;

namespace Doppel.IntegrationTests;

/// <summary>
/// An endpoint's secrets (header values, the password in its URL, its query's keys) are write-only: used for delivery,
/// never returned by GET or list, never in the server's log, the stats' last error or the dead letters.
/// </summary>
public sealed class EndpointSecretTests : IAsyncLifetime
{
    private const string HeaderToken = "header-token-1a2b3c";
    private const string ApiKey = "sas-key-4d5e6f";
    private const string UrlPassword = "url-pass-7a8b9c";
    private const string QueryKey = "query-key-0d1e2f";
    private static readonly string[] Secrets = [HeaderToken, ApiKey, UrlPassword, QueryKey];

    private readonly AllLog _log = new();
    private readonly string _data = Repository.TempFolder();
    private WebhookReceiver _webhook = null!;
    private DoppelServer _server = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _webhook = await WebhookReceiver.StartAsync();
        _server = await DoppelServer.StartAsync(
            new DoppelServerOptions { DataDirectory = _data, Urls = "http://127.0.0.1:0", MqttPort = null },
            logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(_log));
        _http = new HttpClient { BaseAddress = _server.HttpAddress };
        await SendAsync(HttpMethod.Post, "/models", """
            [{"@context":"dtmi:dtdl:context;3","@id":"dtmi:secrets:Thing;1","@type":"Interface","contents":[{"@type":"Property","name":"label","schema":"string"}]}]
            """);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
        await _webhook.DisposeAsync();
    }

    private string SecretUrl(string path) => $"http://hookuser:{UrlPassword}@127.0.0.1:{_webhook.Url.Port}/{path}?code={QueryKey}&format=cloudevents";

    [Fact]
    public async Task Secrets_are_used_for_delivery_but_never_returned_logged_or_dead_lettered()
    {
        var body = new JsonObject
        {
            ["type"] = "webhook",
            ["url"] = SecretUrl("hooks/secret"),
            ["headers"] = new JsonObject { ["Authorization"] = "Bearer " + HeaderToken, ["X-Api-Key"] = ApiKey },
            ["maxAttempts"] = 2,
            ["initialBackoff"] = "PT0.01S",
        };
        var created = await SendAsync(HttpMethod.Put, "/doppel/endpoints/secret", body.ToJsonString());
        await SendAsync(HttpMethod.Put, "/eventroutes/secret", """{"endpointName":"secret","filter":"type = 'Microsoft.DigitalTwins.Twin.Create'"}""");

        // Delivered with every secret: the headers as given, the query's key, the configured Authorization over the URL's user-info.
        await SendAsync(HttpMethod.Put, "/digitaltwins/delivered", """{"$metadata":{"$model":"dtmi:secrets:Thing;1"}}""");
        var received = await _webhook.NextAsync();
        Assert.Equal("Bearer " + HeaderToken, received.Headers["Authorization"]);
        Assert.Equal(ApiKey, received.Headers["X-Api-Key"]);
        Assert.Equal($"?code={QueryKey}&format=cloudevents", received.Query);

        // A final refusal, then a webhook that is not there: both errors end up in the stats, the log and the dead letters.
        _webhook.AnswerNext(403);
        await SendAsync(HttpMethod.Put, "/digitaltwins/refused", """{"$metadata":{"$model":"dtmi:secrets:Thing;1"}}""");
        Assert.Equal(403, (await _webhook.NextAsync()).AnsweredStatus);
        body["url"] = $"http://hookuser:{UrlPassword}@127.0.0.1:9/gone?code={QueryKey}";
        await SendAsync(HttpMethod.Put, "/doppel/endpoints/secret", body.ToJsonString());
        await SendAsync(HttpMethod.Put, "/digitaltwins/unreachable", """{"$metadata":{"$model":"dtmi:secrets:Thing;1"}}""");
        var letters = await Poll.UntilAsync(async () => await SendAsync(HttpMethod.Get, "/doppel/endpoints/secret/deadletters"), l => l["value"]!.AsArray().Count == 2, "two dead letters");

        var shown = await SendAsync(HttpMethod.Get, "/doppel/endpoints/secret");
        var listed = await SendAsync(HttpMethod.Get, "/doppel/endpoints");
        Assert.Equal("http://hookuser:***@127.0.0.1:9/gone?code=***", (string?)shown["url"]);
        Assert.Equal(EventEndpoint.Mask, (string?)shown["headers"]!["Authorization"]);
        Assert.Equal(EventEndpoint.Mask, (string?)created["headers"]!["X-Api-Key"]);
        var lastErrors = letters["value"]!.AsArray().Select(l => (string)l!["lastError"]!).ToList();
        Assert.Contains("HTTP 403 Forbidden from http://hookuser:***@127.0.0.1:", lastErrors[0], StringComparison.Ordinal);
        Assert.Contains("posting to http://hookuser:***@127.0.0.1:9/gone?code=***", lastErrors[1], StringComparison.Ordinal);
        Assert.Contains(_log.Lines, l => l.Contains("dead-lettered", StringComparison.Ordinal)); // the log did see the failures

        var deadLetterFile = await File.ReadAllTextAsync(Path.Combine(_data, "deadletters", "secret.ndjson"));
        foreach (var secret in Secrets)
        {
            Assert.DoesNotContain(secret, created.ToJsonString(), StringComparison.Ordinal);
            Assert.DoesNotContain(secret, shown.ToJsonString(), StringComparison.Ordinal);
            Assert.DoesNotContain(secret, listed.ToJsonString(), StringComparison.Ordinal);
            Assert.DoesNotContain(secret, letters.ToJsonString(), StringComparison.Ordinal);
            Assert.DoesNotContain(secret, deadLetterFile, StringComparison.Ordinal);
            Assert.DoesNotContain(_log.Lines, l => l.Contains(secret, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task An_endpoint_read_and_written_back_keeps_its_secrets()
    {
        await SendAsync(HttpMethod.Put, "/doppel/endpoints/roundtrip", new JsonObject
        {
            ["type"] = "webhook",
            ["url"] = SecretUrl("hooks/roundtrip"),
            ["headers"] = new JsonObject { ["X-Api-Key"] = ApiKey },
        }.ToJsonString());

        // What GET shows, one setting changed, PUT back: the masks stand for the stored values.
        var shown = (await SendAsync(HttpMethod.Get, "/doppel/endpoints/roundtrip")).AsObject();
        shown.Remove("stats");
        shown["maxAttempts"] = 3;
        var replaced = await SendAsync(HttpMethod.Put, "/doppel/endpoints/roundtrip", shown.ToJsonString());
        await SendAsync(HttpMethod.Put, "/eventroutes/roundtrip", """{"endpointName":"roundtrip","filter":"type = 'Microsoft.DigitalTwins.Twin.Create' AND subject = 'kept'"}""");
        await SendAsync(HttpMethod.Put, "/digitaltwins/kept", """{"$metadata":{"$model":"dtmi:secrets:Thing;1"}}""");

        var received = await _webhook.NextAsync();
        Assert.Equal(3, (int)replaced["maxAttempts"]!);
        Assert.Equal(ApiKey, received.Headers["X-Api-Key"]);
        Assert.Equal($"?code={QueryKey}&format=cloudevents", received.Query);
        // No Authorization header configured: the URL's user-info is sent as HTTP Basic authentication.
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"hookuser:{UrlPassword}")), received.Headers["Authorization"]);
    }

    [Theory]
    [InlineData("""{"type":"webhook","url":"http://127.0.0.1:9/x","headers":{"X-Api-Key":"***"}}""", "Header \"X-Api-Key\" is ***")]
    [InlineData("""{"type":"webhook","url":"http://u:***@127.0.0.1:9/x"}""", "\"url\" holds the mask ***")]
    public async Task A_mask_with_no_stored_secret_behind_it_is_refused(string body, string expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/doppel/endpoints/masked?api-version={ServerFixture.ApiVersion}") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        using var response = await _http.SendAsync(request);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("EndpointInvalid", (string?)error["code"]);
        Assert.Contains(expected, (string?)error["message"], StringComparison.Ordinal);
    }

    private async Task<JsonNode> SendAsync(HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, $"{path}?api-version={ServerFixture.ApiVersion}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "any-token");
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path} -> {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }

    /// <summary>Every log line at every level, exception included, as a log file would hold it.</summary>
    private sealed class AllLog : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public IReadOnlyCollection<string> Lines => _lines;

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(AllLog log, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                log._lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
        }
    }
}
