using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Doppel.IntegrationTests.Support;
using Doppel.Server.Audit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Doppel.IntegrationTests;

/// <summary>The audit log: who changed what and when, over REST and the CLI, filtered and paged, durable through kill -9.</summary>
public sealed class AuditLogTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private const string Model = """
        [{"@context":"dtmi:dtdl:context;3","@id":"dtmi:audit:Pump;1","@type":"Interface",
          "contents":[{"@type":"Property","name":"speed","schema":"double","writable":true},
                      {"@type":"Property","name":"secret","schema":"string","writable":true},
                      {"@type":"Telemetry","name":"flow","schema":"double"},
                      {"@type":"Relationship","name":"feeds"}]}]
        """;

    [Fact]
    public async Task Every_change_is_recorded_with_subject_action_resource_status_and_a_summary_without_values()
    {
        var clock = new FakeTimeProvider(Start);
        await using var running = await StartAsync(clock);
        var server = running.Fixture;
        await server.SendOkAsync(HttpMethod.Post, "/models", Model);
        clock.Advance(TimeSpan.FromSeconds(1));
        await Send(server, "alice", HttpMethod.Put, "/digitaltwins/p1", """{"$metadata":{"$model":"dtmi:audit:Pump;1"},"speed":1.5}""");
        await Send(server, "alice", HttpMethod.Put, "/digitaltwins/p2", """{"$metadata":{"$model":"dtmi:audit:Pump;1"}}""");
        clock.Advance(TimeSpan.FromSeconds(1));
        await Send(server, "bob", HttpMethod.Patch, "/digitaltwins/p1", """[{"op":"replace","path":"/speed","value":2.5},{"op":"add","path":"/secret","value":"hunter2"}]""", "application/json-patch+json");
        await Send(server, "bob", HttpMethod.Put, "/digitaltwins/p1/relationships/r1", """{"$relationshipName":"feeds","$targetId":"p2"}""");
        await Send(server, "bob", HttpMethod.Put, "/doppel/endpoints/hook", """{"type":"webhook","url":"http://127.0.0.1:9/?token=abc","headers":{"Authorization":"Bearer s3cret"}}""");
        // Refused changes are recorded with their status; reads and telemetry are not recorded at all.
        await Send(server, "bob", HttpMethod.Patch, "/digitaltwins/missing", """[{"op":"replace","path":"/speed","value":1}]""", "application/json-patch+json");
        await Send(server, "bob", HttpMethod.Get, "/digitaltwins/p1");
        await Send(server, "bob", HttpMethod.Post, "/digitaltwins/p1/telemetry", """{"flow":3.5}""", configure: r => r.Headers.Add("Message-Id", "m1"));
        await Send(server, "bob", HttpMethod.Post, "/query", """{"query":"SELECT * FROM DIGITALTWINS"}""");

        var records = (await server.SendOkAsync(HttpMethod.Get, "/doppel/audit"))["value"]!.AsArray();
        var rows = records.Select(r => $"{r!["subject"]} {r["action"]} {r["resourceKind"]} {r["resourceId"]} {r["status"]}").ToList();
        Assert.Equal(
        [
            "bob twin.patch twin missing 404",
            "bob endpoint.put endpoint hook 201",
            "bob relationship.put relationship p1/r1 200",
            "bob twin.patch twin p1 204",
            "alice twin.put twin p2 200",
            "alice twin.put twin p1 200",
            "anonymous model.create model dtmi:audit:Pump;1 201",
        ], rows);
        var patch = records[3]!;
        Assert.Equal("replace /speed, add /secret", (string?)patch["summary"]);
        Assert.Equal("2025-03-01T12:00:02.0000000Z", (string?)patch["time"]);
        Assert.Equal("model dtmi:audit:Pump;1; properties speed", (string?)records[5]!["summary"]);
        Assert.Equal("feeds -> p2", (string?)records[2]!["summary"]);
        Assert.Equal("type webhook", (string?)records[1]!["summary"]);
        Assert.DoesNotContain("hunter2", records.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", records.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("token=abc", records.ToJsonString(), StringComparison.Ordinal);

        // A resource the server names (a delete job, a run) is recorded under the id it answered with.
        using var job = await server.SendAsync(HttpMethod.Post, "/jobs/deletions", configure: r => r.Headers.Add("operation-id", "cleanup-1"));
        Assert.Equal(202, (int)job.StatusCode);
        var deletion = (await server.SendOkAsync(HttpMethod.Get, "/doppel/audit?action=deletion.start"))["value"]!.AsArray();
        Assert.Equal("cleanup-1", (string?)Assert.Single(deletion)!["resourceId"]);
        await Poll.UntilAsync(() => server.SendOkAsync(HttpMethod.Get, "/jobs/deletions/cleanup-1"), j => (string?)j["status"] is "succeeded" or "failed", "the delete job to end");
    }

    [Fact]
    public async Task Records_are_filtered_by_subject_action_resource_and_time_and_paged_newest_first()
    {
        var clock = new FakeTimeProvider(Start);
        await using var running = await StartAsync(clock);
        var server = running.Fixture;
        await server.SendOkAsync(HttpMethod.Post, "/models", Model);
        for (var i = 0; i < 5; i++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            await Send(server, i % 2 == 0 ? "key:line" : "oidc:carol", HttpMethod.Put, $"/digitaltwins/line-{i}", """{"$metadata":{"$model":"dtmi:audit:Pump;1"}}""");
        }
        await Send(server, "key:line", HttpMethod.Delete, "/digitaltwins/line-0");

        Assert.Equal(["line-0", "line-4", "line-2", "line-0"], await Ids(server, "subject=key:line"));
        Assert.Equal(["line-0"], await Ids(server, "action=twin.delete"));
        Assert.Equal(["line-3"], await Ids(server, "resourceId=line-3"));
        Assert.Equal(["line-0", "line-4", "line-3", "line-2", "line-1", "line-0"], await Ids(server, "resourcePrefix=line-"));
        Assert.Equal(["line-2", "line-1"], await Ids(server, "since=2025-03-01T12:02:00Z&until=2025-03-01T12:04:00Z&resourceKind=twin"));

        // Pages of two, following nextLink, give the same newest-first list.
        var ids = new List<string>();
        string? next = "/doppel/audit?resourcePrefix=line-&api-version=2023-10-31";
        var pages = 0;
        while (next is not null)
        {
            using var response = await server.SendAsync(HttpMethod.Get, next, configure: r => r.Headers.Add("max-items-per-page", "2"));
            var page = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            ids.AddRange(page["value"]!.AsArray().Select(r => (string)r!["resourceId"]!));
            next = (string?)page["nextLink"] is { } link ? new Uri(link).PathAndQuery : null;
            pages++;
        }
        Assert.Equal(3, pages);
        Assert.Equal(["line-0", "line-4", "line-3", "line-2", "line-1", "line-0"], ids);

        await AdtAssert.Error(await server.SendAsync(HttpMethod.Get, "/doppel/audit?subjet=x"), 400, "InvalidArgument");
        Assert.Contains("did you mean 'subject'", await AdtAssert.Error(await server.SendAsync(HttpMethod.Get, "/doppel/audit?subjet=x"), 400, "InvalidArgument"), StringComparison.Ordinal);
        await AdtAssert.Error(await server.SendAsync(HttpMethod.Get, "/doppel/audit?since=yesterday"), 400, "InvalidArgument");
        await AdtAssert.Error(await server.SendAsync(HttpMethod.Get, "/doppel/audit?continuationToken=bm90LWEtbnVtYmVy"), 400, "BadRequest");
    }

    [Fact]
    public async Task Records_older_than_the_retention_are_deleted()
    {
        var clock = new FakeTimeProvider(Start);
        await using var running = await StartAsync(clock, options => options.AuditRetention = TimeSpan.FromDays(30));
        var server = running.Fixture;
        await server.SendOkAsync(HttpMethod.Post, "/models", Model);
        clock.Advance(TimeSpan.FromDays(20));
        await Send(server, "alice", HttpMethod.Put, "/digitaltwins/p1", """{"$metadata":{"$model":"dtmi:audit:Pump;1"}}""");
        clock.Advance(TimeSpan.FromDays(15));

        Assert.Equal(1, await server.Server.Services.GetRequiredService<AuditLog>().PruneAsync());
        Assert.Equal(["p1"], await Ids(server, ""));
    }

    [Fact]
    public async Task The_audit_command_prints_the_filtered_log_as_a_table_or_JSON()
    {
        await using var running = await StartAsync(new FakeTimeProvider(Start));
        var server = running.Fixture;
        await server.SendOkAsync(HttpMethod.Post, "/models", Model);
        await Send(server, "key:ops", HttpMethod.Put, "/digitaltwins/pump-1", """{"$metadata":{"$model":"dtmi:audit:Pump;1"}}""");
        await Send(server, "key:ops", HttpMethod.Put, "/digitaltwins/valve-1", """{"$metadata":{"$model":"dtmi:audit:Pump;1"}}""");
        var url = server.Server.HttpAddress!.ToString();

        var (code, stdout, stderr) = await DoppelProcess.RunAsync("audit", "--resource", "pump*", "--since", "2025-03-01", "--server", url);
        Assert.True(code == 0, stderr);
        Assert.Contains("twin.put", stdout, StringComparison.Ordinal);
        Assert.Contains("pump-1", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("valve-1", stdout, StringComparison.Ordinal);

        (code, stdout, stderr) = await DoppelProcess.RunAsync("audit", "--subject", "key:ops", "--limit", "1", "--json", "--server", url);
        Assert.True(code == 0, stderr);
        var records = JsonNode.Parse(stdout)!.AsArray();
        Assert.Equal("valve-1", (string?)Assert.Single(records)!["resourceId"]);

        (code, _, stderr) = await DoppelProcess.RunAsync("audit", "--since", "last tuesday", "--server", url);
        Assert.Equal(2, code);
        Assert.Contains("--since", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_acknowledged_patch_has_its_audit_record_after_a_SIGKILL()
    {
        const int twins = 40, workers = 8, acknowledgementsBeforeKill = 1500;
        var data = Repository.TempFolder();
        var acknowledged = new ConcurrentDictionary<string, int>();
        var server = await DoppelProcess.ServeAsync(data, "http://127.0.0.1:0");
        using (var http = new HttpClient { BaseAddress = server.Address("http") })
        {
            await Raw(http, HttpMethod.Post, "/models", Model);
            for (var i = 0; i < twins; i++)
            {
                await Raw(http, HttpMethod.Put, $"/digitaltwins/c{i}", """{"$metadata":{"$model":"dtmi:audit:Pump;1"},"speed":0}""");
                acknowledged[$"c{i}"] = 0;
            }
            var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var total = 0;
            var load = Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
            {
                for (var round = 1; ; round++)
                {
                    for (var i = worker; i < twins; i += workers)
                    {
                        try
                        {
                            await Raw(http, HttpMethod.Patch, $"/digitaltwins/c{i}", $$"""[{"op":"replace","path":"/speed","value":{{round}}}]""", "application/json-patch+json");
                        }
                        catch (HttpRequestException)
                        {
                            return; // the server is gone
                        }
                        acknowledged[$"c{i}"] = round;
                        if (Interlocked.Increment(ref total) == acknowledgementsBeforeKill)
                        {
                            enough.TrySetResult();
                        }
                    }
                }
            })).ToList();
            await enough.Task.WaitAsync(TimeSpan.FromMinutes(3));
            await server.KillAsync();
            await Task.WhenAll(load).WaitAsync(TimeSpan.FromMinutes(1));
        }
        await server.DisposeAsync();

        await using var restarted = await DoppelProcess.ServeAsync(data, "http://127.0.0.1:0");
        using var client = new HttpClient { BaseAddress = restarted.Address("http") };
        var patches = new Dictionary<string, int>();
        string? next = "/doppel/audit?action=twin.patch&api-version=2023-10-31";
        while (next is not null)
        {
            var page = JsonNode.Parse(await Raw(client, HttpMethod.Get, next, null))!;
            foreach (var record in page["value"]!.AsArray())
            {
                Assert.Equal(204, (int)record!["status"]!);
                var id = (string)record["resourceId"]!;
                patches[id] = patches.GetValueOrDefault(id) + 1;
            }
            next = (string?)page["nextLink"] is { } link ? new Uri(link).PathAndQuery : null;
        }
        foreach (var (id, rounds) in acknowledged)
        {
            Assert.True(patches.GetValueOrDefault(id) >= rounds, $"{id}: {rounds} patches acknowledged, {patches.GetValueOrDefault(id)} audited");
        }
    }

    private static async Task<Running> StartAsync(FakeTimeProvider clock, Action<Doppel.Server.DoppelServerOptions>? configure = null)
    {
        var server = new ServerFixture { Time = clock, Services = SubjectHeader.Add, Configure = configure };
        await server.InitializeAsync();
        return new Running(server);
    }

    private sealed class Running(ServerFixture fixture) : IAsyncDisposable
    {
        public ServerFixture Fixture { get; } = fixture;

        public async ValueTask DisposeAsync() => await Fixture.DisposeAsync();
    }

    private static async Task Send(ServerFixture server, string subject, HttpMethod method, string path, string? json = null, string contentType = "application/json", Action<HttpRequestMessage>? configure = null)
    {
        using var response = await server.SendAsync(method, path, json, contentType, request =>
        {
            request.Headers.Add(SubjectHeader.Header, subject);
            configure?.Invoke(request);
        });
        await response.Content.ReadAsStringAsync();
    }

    private static async Task<List<string>> Ids(ServerFixture server, string query)
    {
        var page = await server.SendOkAsync(HttpMethod.Get, "/doppel/audit?" + query);
        return [.. page["value"]!.AsArray().Where(r => (string?)r!["resourceKind"] != "model").Select(r => (string)r!["resourceId"]!)];
    }

    private static async Task<string> Raw(HttpClient http, HttpMethod method, string path, string? body, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path.Contains("api-version", StringComparison.Ordinal) ? path : path + "?api-version=2023-10-31");
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, contentType);
        }
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return text;
    }
}
