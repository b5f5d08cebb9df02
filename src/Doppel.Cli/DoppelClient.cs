using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Doppel.Cli;

/// <summary>The CLI's HTTP client for a running Doppel server; prints ADT errors the way the server wrote them.</summary>
internal sealed class DoppelClient : IDisposable
{
    public const string ApiVersion = "2023-10-31";

    private readonly HttpClient _http;

    public DoppelClient(string server)
    {
        var handler = new SocketsHttpHandler
        {
            // The embedded server's HTTPS certificate is self-signed; loopback use only.
            SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
        };
        _http = new HttpClient(handler) { BaseAddress = new Uri(server.TrimEnd('/') + "/"), Timeout = TimeSpan.FromMinutes(5) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "doppel-cli");
    }

    public static string DefaultServer => Environment.GetEnvironmentVariable("DOPPEL_SERVER") ?? "http://127.0.0.1:5080";

    public async Task<(int Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, string? json = null, string contentType = "application/json", CancellationToken ct = default)
    {
        var separator = path.Contains('?') ? '&' : '?';
        using var request = new HttpRequestMessage(method, $"{path}{separator}api-version={ApiVersion}");
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, contentType);
        }
        using var response = await _http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        JsonNode? body = null;
        if (text.Length > 0)
        {
            try
            {
                body = JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                body = JsonValue.Create(text);
            }
        }
        return ((int)response.StatusCode, body);
    }

    /// <summary>Follows nextLink (lists) or continuationToken (query) and returns every item.</summary>
    public async Task<Result<List<JsonNode?>>> ListAllAsync(string path, CancellationToken ct)
    {
        var items = new List<JsonNode?>();
        string? next = path;
        while (next is not null)
        {
            var (status, body) = await SendAsync(HttpMethod.Get, next, ct: ct);
            if (status != 200)
            {
                return Error(status, body);
            }
            items.AddRange(body!["value"]!.AsArray());
            next = body["nextLink"] is JsonValue link ? new Uri((string)link!).PathAndQuery.TrimStart('/') : null;
            if (next is not null)
            {
                // nextLink already carries api-version; SendAsync adds it again, which the server tolerates only once.
                next = RemoveApiVersion(next);
            }
        }
        return Result<List<JsonNode?>>.Ok(items);
    }

    /// <summary>Starts a GET whose body is a stream (Server-Sent Events): returns once the headers arrived; the caller reads and disposes it.</summary>
    public Task<HttpResponseMessage> OpenStreamAsync(string path, CancellationToken ct) =>
        _http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, ct);

    /// <summary>The ADT error in a response body's text (or the text itself when it is not one).</summary>
    public static DoppelError Error(int status, string text)
    {
        try
        {
            return Error(status, text.Length == 0 ? null : JsonNode.Parse(text));
        }
        catch (JsonException)
        {
            return Error(status, JsonValue.Create(text));
        }
    }

    public static DoppelError Error(int status, JsonNode? body) =>
        body?["error"] is JsonObject error
            ? new DoppelError((string?)error["code"] ?? status.ToString(), (string?)error["message"] ?? "")
            {
                Details = error["details"] is JsonArray details ? details.Select(d => new DoppelError((string?)d?["code"] ?? "", (string?)d?["message"] ?? "")).ToList() : [],
            }
            : new DoppelError($"HTTP{status}", body?.ToJsonString() ?? "(no body)");

    public static int Fail(DoppelError error)
    {
        Console.Error.WriteLine($"doppel: {error.Code}: {error.Message}");
        foreach (var detail in error.Details)
        {
            Console.Error.WriteLine($"  {detail.Message}");
        }
        return ExitCodes.Failed;
    }

    private static string RemoveApiVersion(string pathAndQuery)
    {
        var parts = pathAndQuery.Split('?', 2);
        if (parts.Length == 1)
        {
            return pathAndQuery;
        }
        var kept = parts[1].Split('&').Where(p => !p.StartsWith("api-version=", StringComparison.Ordinal));
        return parts[0] + "?" + string.Join('&', kept);
    }

    public void Dispose() => _http.Dispose();
}
