using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Doppel.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Doppel.IntegrationTests.Support;

/// <summary>A real Doppel server in-process on a free loopback port, on a fresh data folder, with an HTTP client.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public const string ApiVersion = "2023-10-31";

    private readonly ErrorLog _log = new();

    public DoppelServer Server { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public string DataDirectory { get; init; } = Repository.TempFolder();

    /// <summary>The server's clock (a FakeTimeProvider to step through retry backoff); default the system clock.</summary>
    public TimeProvider? Time { get; init; }

    /// <summary>Extra services for the server, such as an MQTT publisher.</summary>
    public Action<IServiceCollection>? Services { get; init; }

    /// <summary>Changes the server's options (limits, for instance) before it starts.</summary>
    public Action<DoppelServerOptions>? Configure { get; init; }

    public async Task InitializeAsync()
    {
        var options = new DoppelServerOptions { DataDirectory = DataDirectory, Urls = "http://127.0.0.1:0", MqttPort = 0 };
        Configure?.Invoke(options);
        Server = await DoppelServer.StartAsync(
            options,
            logging => logging.AddProvider(_log),
            Time,
            Services);
        Http = new HttpClient { BaseAddress = Server.HttpAddress };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "any-token");
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
        Assert.True(_log.Errors.IsEmpty, "The server logged errors:\n" + string.Join("\n", _log.Errors));
    }

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? json = null, string contentType = "application/json", Action<HttpRequestMessage>? configure = null)
    {
        var separator = path.Contains('?') ? '&' : '?';
        var request = new HttpRequestMessage(method, path.Contains("api-version=") ? path : $"{path}{separator}api-version={ApiVersion}");
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, contentType);
        }
        configure?.Invoke(request);
        return Http.SendAsync(request);
    }

    public async Task<JsonNode> SendOkAsync(HttpMethod method, string path, string? json = null, string contentType = "application/json")
    {
        using var response = await SendAsync(method, path, json, contentType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path} -> {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }

    public async Task PutModelsAsync(string json) => await SendOkAsync(HttpMethod.Post, "/models", json);
}
