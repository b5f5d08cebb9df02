using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Doppel.IntegrationTests.Support;

namespace Doppel.IntegrationTests;

/// <summary>
/// <c>GET /doppel/history/export</c>: the history as a file sent back to the caller (CSV or Parquet), as the console's
/// download button asks for it, limited to the twins and properties the caller may read.
/// </summary>
public sealed class HistoryDownloadTests : IAsyncLifetime
{
    private const string Pump = "dtmi:download:Pump;1";
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly ServerFixture _server = new() { Configure = o => o.RequireAuthentication = true };
    private HttpClient _owner = null!;

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        _owner = Client((await File.ReadAllTextAsync(Path.Combine(_server.DataDirectory, "admin.key"))).Trim());
        await Ok(_owner, HttpMethod.Post, "/models", $$"""
            [{"@id":"{{Pump}}","@type":"Interface","@context":"dtmi:dtdl:context;3","contents":[
               {"@type":"Telemetry","name":"flow","schema":"double"},
               {"@type":"Telemetry","name":"status","schema":"string"}]}]
            """);
        foreach (var id in new[] { "pump-1", "valve-1" })
        {
            await Ok(_owner, HttpMethod.Put, $"/digitaltwins/{id}", $$"""{"$metadata":{"$model":"{{Pump}}"} }""");
            for (var i = 0; i < 3; i++)
            {
                using var sent = await Send(_owner, HttpMethod.Post, $"/digitaltwins/{id}/telemetry", $$"""{"flow":{{i}}.5,"status":"ok, \"fine\""}""", r =>
                {
                    r.Headers.Add("Message-Id", $"{id}-{i}");
                    r.Headers.Add("Telemetry-Source-Time", Start.AddMinutes(i).ToString("O", CultureInfo.InvariantCulture));
                });
                Assert.Equal(HttpStatusCode.NoContent, sent.StatusCode);
            }
        }
    }

    public async Task DisposeAsync()
    {
        _owner.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_CSV_download_has_one_row_per_point_of_the_twins_and_names_asked_for_quoted_as_RFC_4180_says()
    {
        using var response = await _owner.GetAsync("/doppel/history/export?format=csv&twinIds=pump-1&from=2026-03-01T12:01:00Z&to=2026-03-02T00:00:00Z");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.EndsWith(".csv", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'), StringComparison.Ordinal);
        var lines = (await response.Content.ReadAsStringAsync()).TrimEnd('\n').Split('\n');
        Assert.Equal("twinId,name,kind,time,value", lines[0]);
        Assert.Equal(4, lines.Length - 1); // two points in range for each of two names
        Assert.Contains("pump-1,flow,telemetry,2026-03-01T12:01:00.0000000Z,1.5", lines);
        Assert.Contains("pump-1,status,telemetry,2026-03-01T12:02:00.0000000Z,\"\"\"ok, \\\"\"fine\\\"\"\"\"\"", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("valve-1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_Parquet_download_is_a_Parquet_file_of_the_points()
    {
        using var response = await _owner.GetAsync("/doppel/history/export?format=parquet&names=flow");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.EndsWith(".parquet", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'), StringComparison.Ordinal);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal("PAR1"u8.ToArray(), bytes[..4]);
        Assert.Equal("PAR1"u8.ToArray(), bytes[^4..]);
    }

    [Fact]
    public async Task A_download_holds_only_the_twins_the_caller_may_read_and_names_a_forbidden_twin_as_403()
    {
        using var reader = Client((string)(await Ok(_owner, HttpMethod.Post, "/doppel/auth/keys", """{"name":"pat","role":"reader"}"""))["key"]!);
        await Ok(_owner, HttpMethod.Put, "/doppel/auth/policies/pat", """{"subjects":["key:pat"],"entries":[{"resource":"twins","twins":{"idPrefix":"valve"},"revoke":["read"]}]}""");

        var all = await reader.GetStringAsync("/doppel/history/export?format=csv");
        Assert.Contains("pump-1,flow", all, StringComparison.Ordinal);
        Assert.DoesNotContain("valve-1", all, StringComparison.Ordinal);
        await AdtAssert.Error(await reader.GetAsync("/doppel/history/export?format=csv&twinIds=valve-1"), 403, "Forbidden");
    }

    [Theory]
    [InlineData("format=xlsx", "'format' must be csv or parquet")]
    [InlineData("from=yesterday", "not an RFC 3339 date-time")]
    [InlineData("from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z", "must be before")]
    public async Task A_bad_download_request_is_a_400_saying_why(string query, string expected)
    {
        var message = await AdtAssert.Error(await _owner.GetAsync("/doppel/history/export?" + query), 400, "InvalidArgument");
        Assert.Contains(expected, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_credential_the_download_is_401_and_writing_a_file_on_the_server_stays_the_owners()
    {
        using var anonymous = new HttpClient { BaseAddress = _server.Server.HttpAddress };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/doppel/history/export")).StatusCode);
        using var reader = Client((string)(await Ok(_owner, HttpMethod.Post, "/doppel/auth/keys", """{"name":"rita","role":"reader"}"""))["key"]!);
        var path = Path.Combine(Repository.TempFolder(), "out.parquet");
        await AdtAssert.Error(await reader.PostAsync("/doppel/history/export", new StringContent($$"""{"path":{{JsonValue.Create(path).ToJsonString()}}}""", Encoding.UTF8, "application/json")), 403, "Forbidden");
    }

    private HttpClient Client(string credential)
    {
        var client = new HttpClient { BaseAddress = _server.Server.HttpAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        return client;
    }

    private static Task<HttpResponseMessage> Send(HttpClient client, HttpMethod method, string path, string? body = null, Action<HttpRequestMessage>? configure = null)
    {
        var request = new HttpRequestMessage(method, $"{path}{(path.Contains('?') ? '&' : '?')}api-version={ServerFixture.ApiVersion}");
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        configure?.Invoke(request);
        return client.SendAsync(request);
    }

    private static async Task<JsonNode> Ok(HttpClient client, HttpMethod method, string path, string? body = null)
    {
        using var response = await Send(client, method, path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path} -> {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }
}
