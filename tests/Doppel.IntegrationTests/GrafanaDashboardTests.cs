using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Doppel.IntegrationTests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Doppel.IntegrationTests;

/// <summary>
/// The Grafana dashboard shipped in <c>deploy/grafana</c> queries only metrics a running server exports: every metric
/// name in its PromQL is found in <c>/metrics</c> once the server has done what each metric counts.
/// </summary>
public sealed partial class GrafanaDashboardTests
{
    private static readonly string DashboardPath = Path.Combine(Repository.Root, "deploy", "grafana", "doppel-dashboard.json");

    [Fact]
    public async Task Every_metric_the_dashboard_queries_is_exported_by_a_running_server()
    {
        var queried = QueriedMetrics(JsonNode.Parse(await File.ReadAllTextAsync(DashboardPath))!);
        Assert.Contains("doppel_ingest_messages_total", queried);

        // A frozen clock, so the rate limit's budget is spent deterministically.
        var server = new ServerFixture
        {
            Time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)),
            Configure = o => (o.RequireAuthentication, o.RequestsPerSecond) = (true, 1000),
        };
        await server.InitializeAsync();
        try
        {
            using var owner = Client(server, (await File.ReadAllTextAsync(Path.Combine(server.DataDirectory, "admin.key"))).Trim());
            await Ok(owner, HttpMethod.Post, $"/models?api-version={ServerFixture.ApiVersion}",
                """[{"@id":"dtmi:test:Meter;1","@type":"Interface","@context":"dtmi:dtdl:context;3","contents":[{"@type":"Telemetry","name":"flow","schema":"double"}]}]""");
            await Ok(owner, HttpMethod.Put, $"/digitaltwins/meter-1?api-version={ServerFixture.ApiVersion}", """{"$metadata":{"$model":"dtmi:test:Meter;1"}}""");
            // Ingest: one stored message and one dead letter.
            await Ok(owner, HttpMethod.Post, "/doppel/ingest", "{\"twinId\":\"meter-1\",\"values\":{\"flow\":1.5}}\n{\"twinId\":\"meter-1\",\"values\":{\"flow\":\"x\"}}\n", "application/x-ndjson");
            // An alert raised, acknowledged and resolved by a rule.
            await Ok(owner, HttpMethod.Put, "/doppel/rules/fast", """{"scope":{"model":"dtmi:test:Meter;1"},"condition":"flow > 10","clear":"flow < 5","severity":"minor","message":"{twinId} fast"}""");
            await Ok(owner, HttpMethod.Post, "/doppel/ingest", "{\"twinId\":\"meter-1\",\"values\":{\"flow\":15},\"time\":\"2026-01-01T00:00:01Z\"}\n", "application/x-ndjson");
            var alert = await Poll.UntilAsync(() => Ok(owner, HttpMethod.Get, "/doppel/alerts?state=open"), a => a["value"]!.AsArray().Count == 1, "the alert");
            await Ok(owner, HttpMethod.Post, $"/doppel/alerts/{(string)alert["value"]![0]!["id"]!}/ack", "{}");
            await Ok(owner, HttpMethod.Post, "/doppel/ingest", "{\"twinId\":\"meter-1\",\"values\":{\"flow\":1},\"time\":\"2026-01-01T00:00:02Z\"}\n", "application/x-ndjson");
            await Poll.UntilAsync(() => Ok(owner, HttpMethod.Get, "/doppel/alerts?state=open"), a => a["value"]!.AsArray().Count == 0, "the alert to resolve");
            // A refusal by access rules.
            var created = await Ok(owner, HttpMethod.Post, "/doppel/auth/keys", """{"name":"reader","role":"reader"}""");
            using var reader = Client(server, (string)created["key"]!);
            using (var denied = await reader.DeleteAsync($"/digitaltwins/meter-1?api-version={ServerFixture.ApiVersion}"))
            {
                Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
            }
            // A subject over its request budget.
            var throttled = false;
            for (var i = 0; i < 1200 && !throttled; i++)
            {
                using var response = await reader.GetAsync("/doppel/status");
                throttled = response.StatusCode == HttpStatusCode.TooManyRequests;
            }
            Assert.True(throttled, "The reader was never throttled.");

            var exported = ExportedMetrics(await (await owner.GetAsync("/metrics")).Content.ReadAsStringAsync());
            Assert.Empty(queried.Except(exported, StringComparer.Ordinal).Order(StringComparer.Ordinal));
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    /// <summary>The metric names of every PromQL expression in the dashboard: its panels' targets and its variables' queries.</summary>
    private static SortedSet<string> QueriedMetrics(JsonNode dashboard)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var expression in Expressions(dashboard))
        {
            // A variable's label_values(metric, label) names its metric first.
            if (LabelValues().Match(expression) is { Success: true } variable)
            {
                names.Add(variable.Groups["metric"].Value);
                continue;
            }
            // PromQL without label matchers, durations, strings and grouping labels, leaves the function and metric names.
            var bare = Regex.Replace(Regex.Replace(Regex.Replace(expression, "\"[^\"]*\"", ""), @"\{[^}]*\}|\[[^\]]*\]", " "), @"\b(by|without)\s*\([^)]*\)", " ");
            foreach (Match match in Identifier().Matches(bare))
            {
                var name = match.Groups["name"].Value;
                var isFunction = match.Groups["call"].Success;
                if (!isFunction && !PromQlWords.Contains(name))
                {
                    names.Add(name);
                }
            }
        }
        return names;
    }

    private static IEnumerable<string> Expressions(JsonNode node)
    {
        switch (node)
        {
            case JsonObject json:
                foreach (var (name, value) in json)
                {
                    if (name is "expr" or "definition" && value is JsonValue text && text.TryGetValue<string>(out var expression))
                    {
                        yield return expression;
                    }
                    else if (value is not null)
                    {
                        foreach (var inner in Expressions(value))
                        {
                            yield return inner;
                        }
                    }
                }
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    if (item is not null)
                    {
                        foreach (var inner in Expressions(item))
                        {
                            yield return inner;
                        }
                    }
                }
                break;
        }
    }

    /// <summary>The names of the samples in Prometheus' text format (histograms as their _bucket, _sum and _count).</summary>
    private static HashSet<string> ExportedMetrics(string exposition) =>
        [.. exposition.Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(l => SampleName().Match(l).Value)];

    private static readonly HashSet<string> PromQlWords = new(StringComparer.Ordinal) { "and", "or", "unless", "on", "ignoring", "group_left", "group_right", "offset", "bool" };

    [GeneratedRegex(@"(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?<call>\s*\()?")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"^\s*label_values\(\s*(?<metric>[a-zA-Z_:][a-zA-Z0-9_:]*)\s*,")]
    private static partial Regex LabelValues();

    [GeneratedRegex(@"^[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex SampleName();

    private static HttpClient Client(ServerFixture server, string key)
    {
        var client = new HttpClient { BaseAddress = server.Server.HttpAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private static async Task<JsonNode> Ok(HttpClient client, HttpMethod method, string path, string? body = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : new StringContent(body, Encoding.UTF8, contentType) };
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path} -> {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }
}
