using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Doppel.IntegrationTests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Doppel.IntegrationTests;

/// <summary>Abuse: per-subject budgets answered with ADT's 429 and Retry-After; size and query-cost limits hold under load.</summary>
public sealed class RateLimitTests
{
    private const string Model = """
        [{"@context":"dtmi:dtdl:context;3","@id":"dtmi:limits:Counter;1","@type":"Interface",
          "contents":[{"@type":"Property","name":"n","schema":"integer","writable":true},
                      {"@type":"Property","name":"note","schema":"string","writable":true}]}]
        """;

    [Fact]
    public async Task A_subject_over_its_budget_gets_429_with_Retry_After_while_others_go_on_and_it_recovers_in_time()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var server = new ServerFixture { Time = clock, Services = SubjectHeader.Add, Configure = o => (o.RequestsPerSecond, o.QueriesPerSecond) = (4, 2) };
        await server.InitializeAsync();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                Assert.Equal(HttpStatusCode.OK, await Status(server, "key:greedy", HttpMethod.Get, "/models"));
            }
            using (var refused = await Send(server, "key:greedy", HttpMethod.Get, "/models"))
            {
                var message = await AdtAssert.Error(refused, 429, "QuotaReachedError");
                Assert.Contains("key:greedy", message, StringComparison.Ordinal);
                Assert.Equal("1", refused.Headers.GetValues("Retry-After").Single());
            }
            // Another subject has its own budget, and queries have one of their own, as in ADT.
            Assert.Equal(HttpStatusCode.OK, await Status(server, "key:polite", HttpMethod.Get, "/models"));
            Assert.Equal(HttpStatusCode.OK, await Status(server, "key:greedy", HttpMethod.Post, "/query", """{"query":"SELECT * FROM DIGITALTWINS"}"""));
            Assert.Equal(HttpStatusCode.OK, await Status(server, "key:greedy", HttpMethod.Post, "/query", """{"query":"SELECT * FROM DIGITALTWINS"}"""));
            Assert.Equal(HttpStatusCode.TooManyRequests, await Status(server, "key:greedy", HttpMethod.Post, "/query", """{"query":"SELECT * FROM DIGITALTWINS"}"""));
            // Health checks are never limited.
            Assert.Equal(HttpStatusCode.OK, await Status(server, "key:greedy", HttpMethod.Get, "/health"));

            // A quarter of a second refills one request of four per second.
            clock.Advance(TimeSpan.FromMilliseconds(250));
            Assert.Equal(HttpStatusCode.OK, await Status(server, "key:greedy", HttpMethod.Get, "/models"));
            Assert.Equal(HttpStatusCode.TooManyRequests, await Status(server, "key:greedy", HttpMethod.Get, "/models"));

            // Refused requests are counted, by budget.
            using var metrics = await server.Http.GetAsync(new Uri("/metrics", UriKind.Relative));
            var text = await metrics.Content.ReadAsStringAsync();
            Assert.Matches("""doppel_http_throttled_total\{[^}]*budget="requests"[^}]*\} 2\b""", text);
            Assert.Matches("""doppel_http_throttled_total\{[^}]*budget="queries"[^}]*\} 1\b""", text);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Without_authentication_everyone_shares_the_anonymous_budget()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var server = new ServerFixture { Time = clock, Configure = o => o.RequestsPerSecond = 2 };
        await server.InitializeAsync();
        try
        {
            Assert.Equal(HttpStatusCode.OK, await Status(server, null, HttpMethod.Get, "/models"));
            Assert.Equal(HttpStatusCode.OK, await Status(server, null, HttpMethod.Get, "/models"));
            using var refused = await Send(server, null, HttpMethod.Get, "/models");
            Assert.Contains("'anonymous'", await AdtAssert.Error(refused, 429, "QuotaReachedError"), StringComparison.Ordinal);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Size_and_query_cost_limits_hold_for_every_request_under_concurrent_load_and_no_normal_write_is_lost()
    {
        const int clients = 24, rounds = 40;
        var server = new ServerFixture();
        await server.InitializeAsync();
        try
        {
            await server.PutModelsAsync(Model);
            for (var c = 0; c < clients; c++)
            {
                await server.SendOkAsync(HttpMethod.Put, $"/digitaltwins/t{c}", """{"$metadata":{"$model":"dtmi:limits:Counter;1"},"n":0}""");
            }
            var oversized = $$"""[{"op":"replace","path":"/note","value":"{{new string('x', 40 * 1024)}}"}]""";
            var overCost = "SELECT * FROM DIGITALTWINS T WHERE " + string.Join(" OR ", Enumerable.Range(0, 60).Select(i => $"T.n = {i}"));
            var failures = new System.Collections.Concurrent.ConcurrentBag<string>();

            // Each client interleaves its own twin's increments with an oversized patch and an over-cost query.
            await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
            {
                using var http = new HttpClient { BaseAddress = server.Http.BaseAddress };
                for (var round = 1; round <= rounds; round++)
                {
                    using (var normal = await Request(http, HttpMethod.Patch, $"/digitaltwins/t{c}", $$"""[{"op":"replace","path":"/n","value":{{round}}}]""", "application/json-patch+json"))
                    {
                        if (normal.StatusCode != HttpStatusCode.NoContent)
                        {
                            failures.Add($"t{c} round {round}: {(int)normal.StatusCode} {await normal.Content.ReadAsStringAsync()}");
                        }
                    }
                    switch (round % 3)
                    {
                        case 0:
                            using (var big = await Request(http, HttpMethod.Patch, $"/digitaltwins/t{c}", oversized, "application/json-patch+json"))
                            {
                                await Expect(big, 413, "LimitExceeded", failures);
                            }
                            break;
                        case 1:
                            using (var costly = await Request(http, HttpMethod.Post, "/query", new JsonObject { ["query"] = overCost }.ToJsonString(), "application/json"))
                            {
                                await Expect(costly, 400, "SqlQueryError", failures);
                            }
                            break;
                        default:
                            using (var query = await Request(http, HttpMethod.Post, "/query", $$"""{"query":"SELECT * FROM DIGITALTWINS T WHERE T.$dtId = 't{{c}}'"}""", "application/json"))
                            {
                                if (query.StatusCode != HttpStatusCode.OK)
                                {
                                    failures.Add($"query t{c}: {(int)query.StatusCode}");
                                }
                            }
                            break;
                    }
                }
            })));

            Assert.Empty(failures);
            for (var c = 0; c < clients; c++)
            {
                var twin = await server.SendOkAsync(HttpMethod.Get, $"/digitaltwins/t{c}");
                Assert.Equal(rounds, (int)twin["n"]!);
                Assert.Null(twin["note"]);
            }
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    private static async Task Expect(HttpResponseMessage response, int status, string code, System.Collections.Concurrent.ConcurrentBag<string> failures)
    {
        var text = await response.Content.ReadAsStringAsync();
        var actual = response.Headers.TryGetValues("x-ms-error-code", out var codes) ? codes.Single() : null;
        if ((int)response.StatusCode != status || actual != code || (string?)JsonNode.Parse(text)?["error"]?["code"] != code)
        {
            failures.Add($"expected {status} {code}, got {(int)response.StatusCode} {text}");
        }
    }

    private static Task<HttpResponseMessage> Request(HttpClient http, HttpMethod method, string path, string body, string contentType) =>
        http.SendAsync(new HttpRequestMessage(method, path + "?api-version=2023-10-31") { Content = new StringContent(body, Encoding.UTF8, contentType) });

    private static async Task<HttpStatusCode> Status(ServerFixture server, string? subject, HttpMethod method, string path, string? json = null)
    {
        using var response = await Send(server, subject, method, path, json);
        return response.StatusCode;
    }

    private static Task<HttpResponseMessage> Send(ServerFixture server, string? subject, HttpMethod method, string path, string? json = null) =>
        server.SendAsync(method, path, json, configure: request =>
        {
            if (subject is not null)
            {
                request.Headers.Add(SubjectHeader.Header, subject);
            }
        });
}
