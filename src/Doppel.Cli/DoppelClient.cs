using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.Cli.Invocation;

namespace Doppel.Cli;

/// <summary>
/// The CLI's HTTP client for a running Doppel server; prints ADT errors the way the server wrote them. A server that
/// cannot be reached, or an address that is not one, becomes a <see cref="CommandFailure"/> that names the address.
/// </summary>
internal sealed class DoppelClient : IDisposable
{
    public const string ApiVersion = "2023-10-31";

    public const string ServerVariable = "DOPPEL_SERVER";

    /// <summary>The API key the CLI authenticates with (<c>dpl_…</c>).</summary>
    public const string ApiKeyVariable = "DOPPEL_API_KEY";

    /// <summary>A bearer token from the server's OpenID Connect issuer, used when no API key is set.</summary>
    public const string TokenVariable = "DOPPEL_TOKEN";

    /// <summary>How long one request may take before the server counts as not answering.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    private readonly HttpClient _http;

    public DoppelClient(string server)
    {
        Server = Address(server);
        _http = CreateClient(Timeout);
    }

    /// <summary>The server's base address, ending in '/'.</summary>
    public Uri Server { get; }

    public static string DefaultServer => Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } value ? value : "http://127.0.0.1:5080";

    /// <summary>The base address a --server value names, or the usage failure that says why it names none.</summary>
    public static Result<Uri> ParseAddress(string value)
    {
        if (Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0 && uri.Query.Length == 0 && uri.Fragment.Length == 0)
        {
            return Result<Uri>.Ok(new Uri(uri.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/"));
        }
        return Result<Uri>.Fail("InvalidArgument", Failures.BadServerAddress(value, value == Environment.GetEnvironmentVariable(ServerVariable)).Message);
    }

    private static Uri Address(string value) => ParseAddress(value) is { IsSuccess: true } parsed ? parsed.Value : throw Failures.BadServerAddress(value, value == Environment.GetEnvironmentVariable(ServerVariable));

    public async Task<(int Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, string? json = null, string contentType = "application/json", CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(method, WithApiVersion(path));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, contentType);
        }
        return await SendAsync(request, ct);
    }

    /// <summary>Sends a request the caller built (a streamed body, a header) and reads the answer as JSON.</summary>
    public async Task<(int Status, JsonNode? Body)> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        using var response = await ExchangeAsync(request, HttpCompletionOption.ResponseContentRead, ct);
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

    /// <summary>Follows nextLink (lists) or continuationToken (query) and returns every item, or the first <paramref name="limit"/>.</summary>
    public async Task<Result<List<JsonNode?>>> ListAllAsync(string path, CancellationToken ct, int? limit = null)
    {
        var items = new List<JsonNode?>();
        string? next = path;
        while (next is not null && (limit is null || items.Count < limit))
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, WithApiVersion(next));
            if (limit is { } most)
            {
                request.Headers.Add("max-items-per-page", (most - items.Count).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            var (status, body) = await SendAsync(request, ct);
            if (status != 200)
            {
                return Error(status, body);
            }
            items.AddRange(body!["value"]!.AsArray().Select(i => i?.DeepClone()));
            // nextLink already carries api-version; it is added again for every request.
            next = body["nextLink"] is JsonValue link ? RemoveApiVersion(new Uri((string)link!).PathAndQuery.TrimStart('/')) : null;
        }
        if (limit is { } max && items.Count > max)
        {
            items.RemoveRange(max, items.Count - max);
        }
        return Result<List<JsonNode?>>.Ok(items);
    }

    /// <summary>Starts a GET whose body is a stream (Server-Sent Events): returns once the headers arrived; the caller reads and disposes it.</summary>
    public async Task<HttpResponseMessage> OpenStreamAsync(string path, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        // A stream may stay open for hours: only the wait for its headers is bounded.
        using var headers = CancellationTokenSource.CreateLinkedTokenSource(ct);
        headers.CancelAfter(Timeout);
        return await ExchangeAsync(StreamingClient, request, HttpCompletionOption.ResponseHeadersRead, headers.Token, ct);
    }

    private Task<HttpResponseMessage> ExchangeAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken ct) =>
        ExchangeAsync(_http, request, completion, ct, ct);

    /// <summary>Sends; a network failure or a timeout (<paramref name="wait"/> ending before <paramref name="ct"/>) becomes the failure that names the server.</summary>
    private async Task<HttpResponseMessage> ExchangeAsync(HttpClient client, HttpRequestMessage request, HttpCompletionOption completion, CancellationToken wait, CancellationToken ct)
    {
        try
        {
            return await client.SendAsync(request, completion, wait);
        }
        catch (HttpRequestException e)
        {
            throw Failures.Unreachable(Server.ToString(), e);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw Failures.TimedOut(Server.ToString(), Timeout);
        }
    }

    /// <summary>The same connection settings without the overall timeout, for event streams that stay open.</summary>
    private HttpClient StreamingClient => _streaming ??= CreateClient(System.Threading.Timeout.InfiniteTimeSpan);

    private HttpClient? _streaming;

    private HttpClient CreateClient(TimeSpan timeout)
    {
        var handler = new SocketsHttpHandler
        {
            // The embedded server's HTTPS certificate is self-signed; loopback use only.
            SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
        };
        var client = new HttpClient(handler) { BaseAddress = Server, Timeout = timeout };
        // Without a credential the request is anonymous, which a server allows on loopback only.
        if ((Environment.GetEnvironmentVariable(ApiKeyVariable) ?? Environment.GetEnvironmentVariable(TokenVariable)) is { Length: > 0 } credential)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", credential.Trim());
        }
        return client;
    }

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
            ? new DoppelError((string?)error["code"] ?? status.ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)error["message"] ?? "")
            {
                Details = error["details"] is JsonArray details ? details.Select(d => new DoppelError((string?)d?["code"] ?? "", (string?)d?["message"] ?? "")).ToList() : [],
            }
            : new DoppelError($"HTTP{status}", NotAdtError(body));

    /// <summary>Prints an error the server (or a command) reported and returns exit code 1.</summary>
    public static int Fail(DoppelError error)
    {
        Console.Error.WriteLine($"doppel: {error.Code}: {error.Message}");
        foreach (var detail in error.Details)
        {
            Console.Error.WriteLine($"  {detail.Message}");
        }
        return ExitCodes.Failed;
    }

    /// <summary>Something that is not an ADT error (a proxy's HTML page, plain text): its first line, shortened, so the error stays one line.</summary>
    private static string NotAdtError(JsonNode? body)
    {
        var text = body is JsonValue value && value.TryGetValue<string>(out var s) ? s : body?.ToJsonString() ?? "";
        var line = text.Split('\n', 2)[0].Trim();
        if (line.Length == 0)
        {
            return "(no body; is this the address of a Doppel server?)";
        }
        return (line.Length > 200 ? line[..200] + "…" : line) + (text.TrimStart().StartsWith('<') ? " (an HTML page: is this the address of a Doppel server?)" : "");
    }

    private static string WithApiVersion(string path) => path + (path.Contains('?') ? '&' : '?') + "api-version=" + ApiVersion;

    private static string RemoveApiVersion(string pathAndQuery)
    {
        var parts = pathAndQuery.Split('?', 2);
        if (parts.Length == 1)
        {
            return pathAndQuery;
        }
        var kept = parts[1].Split('&').Where(p => !p.StartsWith("api-version=", StringComparison.Ordinal)).ToList();
        return kept.Count == 0 ? parts[0] : parts[0] + "?" + string.Join('&', kept);
    }

    public void Dispose()
    {
        _http.Dispose();
        _streaming?.Dispose();
    }
}
