using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Doppel.IntegrationTests.Support;
using Doppel.Server;

namespace Doppel.IntegrationTests;

/// <summary>
/// Authentication and access rules over the real server with credentials required: API keys of each role, a device's
/// key narrowed by a policy, revocations by query and by property, over the REST API, queries, live streams, event
/// routes and the CLI.
/// </summary>
public sealed class AccessControlTests : IAsyncLifetime
{
    private const string Pump = "dtmi:test:Pump;1";
    private const string Valve = "dtmi:test:Valve;1";

    private readonly ServerFixture _server = new() { Configure = o => o.RequireAuthentication = true };
    private HttpClient _owner = null!;

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        // The first start that requires credentials creates the owner key, readable by the user only.
        var keyFile = Path.Combine(_server.DataDirectory, "admin.key");
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        }
        _owner = Client((await File.ReadAllTextAsync(keyFile)).Trim());
        await Ok(_owner, HttpMethod.Post, "/models", $$"""
            [{"@id":"{{Pump}}","@type":"Interface","@context":"dtmi:dtdl:context;3","contents":[
               {"@type":"Property","name":"rpm","schema":"double","writable":true},
               {"@type":"Property","name":"line","schema":"string","writable":true},
               {"@type":"Property","name":"serial","schema":"string","writable":true},
               {"@type":"Telemetry","name":"flow","schema":"double"},
               {"@type":"Relationship","name":"feeds"}]},
             {"@id":"{{Valve}}","@type":"Interface","@context":"dtmi:dtdl:context;3","contents":[
               {"@type":"Property","name":"line","schema":"string","writable":true}]}]
            """);
        await Ok(_owner, HttpMethod.Put, "/digitaltwins/pump-1", $$"""{"$metadata":{"$model":"{{Pump}}"},"rpm":1450,"line":"A","serial":"X1"}""");
        await Ok(_owner, HttpMethod.Put, "/digitaltwins/pump-2", $$"""{"$metadata":{"$model":"{{Pump}}"},"rpm":900,"line":"B","serial":"X2"}""");
        await Ok(_owner, HttpMethod.Put, "/digitaltwins/valve-1", $$"""{"$metadata":{"$model":"{{Valve}}"},"line":"A"}""");
        await Ok(_owner, HttpMethod.Put, "/digitaltwins/pump-1/relationships/r1", """{"$targetId":"valve-1","$relationshipName":"feeds"}""");
    }

    public async Task DisposeAsync()
    {
        _owner.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Without_a_working_credential_every_operation_is_401_with_the_reason()
    {
        using var anonymous = new HttpClient { BaseAddress = _server.Server.HttpAddress };
        using var forged = Client("dpl_0123456789abcdef_not-the-secret");
        using var token = Client("eyJhbGciOiJub25lIn0.e30.");

        using var none = await Send(anonymous, HttpMethod.Get, "/digitaltwins/pump-1");
        using var bad = await Send(forged, HttpMethod.Get, "/digitaltwins/pump-1");
        using var jwt = await Send(token, HttpMethod.Get, "/digitaltwins/pump-1");
        using var health = await anonymous.GetAsync("/health");

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("Bearer", none.Headers.WwwAuthenticate.Single().Scheme);
        await AdtAssert.Error(none, (int)HttpStatusCode.Unauthorized, "Unauthorized");
        Assert.Contains("not valid, or it was revoked", await AdtAssert.Error(bad, (int)HttpStatusCode.Unauthorized, "Unauthorized"), StringComparison.Ordinal);
        Assert.Contains("--auth-authority", await AdtAssert.Error(jwt, (int)HttpStatusCode.Unauthorized, "Unauthorized"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Each_role_does_exactly_what_it_grants()
    {
        using var reader = Client(await CreateKeyAsync("alice", "reader"));
        using var writer = Client(await CreateKeyAsync("bob", "writer"));
        const string Patch = """[{"op":"replace","path":"/rpm","value":1500}]""";

        using (var read = await Send(reader, HttpMethod.Get, "/digitaltwins/pump-1"))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }
        Assert.Contains("key:alice may not write properties", await AdtAssert.Error(await Send(reader, HttpMethod.Patch, "/digitaltwins/pump-1", Patch), (int)HttpStatusCode.Forbidden, "Forbidden"), StringComparison.Ordinal);
        await AdtAssert.Error(await Send(reader, HttpMethod.Delete, "/digitaltwins/valve-1"), (int)HttpStatusCode.Forbidden, "Forbidden");
        await AdtAssert.Error(await Send(reader, HttpMethod.Post, "/digitaltwins/pump-1/telemetry", """{"flow":1}""", r => r.Headers.Add("Message-Id", "m1")), (int)HttpStatusCode.Forbidden, "Forbidden");
        await AdtAssert.Error(await Send(reader, HttpMethod.Get, "/doppel/auth/keys"), (int)HttpStatusCode.Forbidden, "Forbidden");

        using (var patched = await Send(writer, HttpMethod.Patch, "/digitaltwins/pump-1", Patch))
        {
            Assert.Equal(HttpStatusCode.NoContent, patched.StatusCode);
        }
        await AdtAssert.Error(await Send(writer, HttpMethod.Put, "/doppel/auth/policies/p", """{"subjects":["key:bob"],"role":"owner"}"""), (int)HttpStatusCode.Forbidden, "Forbidden");
        await AdtAssert.Error(await Send(writer, HttpMethod.Post, "/doppel/auth/keys", """{"name":"mine","role":"owner"}"""), (int)HttpStatusCode.Forbidden, "Forbidden");

        // Refusals are counted, by resource.
        var metrics = await (await _owner.GetAsync("/metrics")).Content.ReadAsStringAsync();
        Assert.Matches("doppel_auth_denied_total\\{[^}]*resource=\"properties\"[^}]*\\} [1-9]", metrics);
    }

    [Fact]
    public async Task A_device_key_writes_only_what_its_policy_grants_on_its_own_twin()
    {
        using var device = Client(await CreateKeyAsync("pump-1-sensor", "none"));
        await Ok(_owner, HttpMethod.Put, "/doppel/auth/policies/pump-sensors", """
            subjects: [ "key:pump-*" ]
            entries:
              - resource: twins
                twins: { idPrefix: pump-1 }
                grant: [ read ]
              - resource: telemetry
                twins: { idPrefix: pump-1 }
                grant: [ write ]
              - resource: properties
                twins: { where: "IS_OF_MODEL('dtmi:test:Pump;1') AND line = 'A'" }
                properties: [ rpm ]
                grant: [ write ]
            """, "application/yaml");

        Assert.Equal(HttpStatusCode.NoContent, (await Send(device, HttpMethod.Post, "/digitaltwins/pump-1/telemetry", """{"flow":3.5}""", r => r.Headers.Add("Message-Id", "t1"))).StatusCode);
        await AdtAssert.Error(await Send(device, HttpMethod.Post, "/digitaltwins/pump-2/telemetry", """{"flow":3.5}""", r => r.Headers.Add("Message-Id", "t2")), (int)HttpStatusCode.Forbidden, "Forbidden");
        Assert.Equal(HttpStatusCode.NoContent, (await Send(device, HttpMethod.Patch, "/digitaltwins/pump-1", """[{"op":"replace","path":"/rpm","value":1200}]""")).StatusCode);
        Assert.Contains("('line')", await AdtAssert.Error(await Send(device, HttpMethod.Patch, "/digitaltwins/pump-1", """[{"op":"replace","path":"/rpm","value":1},{"op":"replace","path":"/line","value":"B"}]"""), (int)HttpStatusCode.Forbidden, "Forbidden"), StringComparison.Ordinal);
        await AdtAssert.Error(await Send(device, HttpMethod.Patch, "/digitaltwins/pump-2", """[{"op":"replace","path":"/rpm","value":1}]"""), (int)HttpStatusCode.Forbidden, "Forbidden");
        Assert.Equal(HttpStatusCode.OK, (await Send(device, HttpMethod.Get, "/digitaltwins/pump-1")).StatusCode);
        await AdtAssert.Error(await Send(device, HttpMethod.Get, "/digitaltwins/valve-1"), (int)HttpStatusCode.Forbidden, "Forbidden");
        await AdtAssert.Error(await Send(device, HttpMethod.Get, "/models"), (int)HttpStatusCode.Forbidden, "Forbidden");

        // The refused patch changed nothing; the allowed one did.
        var twin = await Ok(_owner, HttpMethod.Get, "/digitaltwins/pump-1");
        Assert.Equal(1200, (double)twin["rpm"]!);
        Assert.Equal("A", (string)twin["line"]!);
    }

    [Fact]
    public async Task Queries_leave_out_what_the_reader_may_not_read_and_a_policy_change_applies_at_once()
    {
        using var reader = Client(await CreateKeyAsync("carol", "reader"));
        await Ok(_owner, HttpMethod.Put, "/doppel/auth/policies/no-valves", """
            {"subjects":["key:carol"],"entries":[
              {"resource":"twins","twins":{"where":"IS_OF_MODEL('dtmi:test:Valve;1')"},"revoke":["read"]},
              {"resource":"properties","properties":["serial"],"revoke":["read"]}]}
            """);

        var all = await Query(reader, "SELECT * FROM digitaltwins");
        Assert.Equal(["pump-1", "pump-2"], all.Select(r => (string)r!["$dtId"]!).Order(StringComparer.Ordinal));
        Assert.All(all, r => Assert.Null(r!["serial"]));
        Assert.All(all, r => Assert.Null(r!["$metadata"]!["serial"]));
        Assert.Equal(2, (int)(await Query(reader, "SELECT COUNT() FROM digitaltwins")).Single()!["COUNT"]!);
        // A hidden property cannot be probed through a condition or an order.
        Assert.Empty(await Query(reader, "SELECT * FROM digitaltwins T WHERE T.serial = 'X1'"));
        Assert.Empty(await Query(reader, "SELECT T FROM digitaltwins T WHERE IS_OF_MODEL('dtmi:test:Valve;1')"));
        // A join cannot reach a twin the reader may not read.
        Assert.Empty(await Query(reader, "SELECT V FROM digitaltwins P JOIN V RELATED P.feeds WHERE P.$dtId = 'pump-1'"));
        var single = await Ok(reader, HttpMethod.Get, "/digitaltwins/pump-1");
        Assert.Null(single["serial"]);
        Assert.Equal(1450, (double)single["rpm"]!);
        await AdtAssert.Error(await Send(reader, HttpMethod.Get, "/digitaltwins/valve-1"), (int)HttpStatusCode.Forbidden, "Forbidden");

        await Ok(_owner, HttpMethod.Delete, "/doppel/auth/policies/no-valves");

        Assert.Equal(3, (await Query(reader, "SELECT * FROM digitaltwins")).Count);
        Assert.Equal("X1", (string)(await Ok(reader, HttpMethod.Get, "/digitaltwins/pump-1"))["serial"]!);
    }

    [Fact]
    public async Task A_writer_narrowed_by_a_policy_cannot_bulk_write_around_it()
    {
        using var writer = Client(await CreateKeyAsync("hank", "writer"));
        const string Import = "{\"Section\": \"Header\"}\n{\"fileVersion\": \"1.0.0\"}\n";

        await Ok(_owner, HttpMethod.Put, "/doppel/auth/policies/hank", """{"subjects":["key:hank"],"entries":[{"resource":"twins","twins":{"idPrefix":"valve"},"revoke":["write"]}]}""");
        var refused = await AdtAssert.Error(await Send(writer, HttpMethod.Put, "/jobs/imports/j1", Import, contentType: "application/x-ndjson"), (int)HttpStatusCode.Forbidden, "Forbidden");
        await AdtAssert.Error(await Send(writer, HttpMethod.Post, "/doppel/samples/factory/load"), (int)HttpStatusCode.Forbidden, "Forbidden");
        await Ok(_owner, HttpMethod.Delete, "/doppel/auth/policies/hank");

        Assert.Contains("bulk write", refused, StringComparison.Ordinal);
        // A simulation forks live state: a reader who may not read every twin cannot run one.
        using var narrowReader = Client(await CreateKeyAsync("ivy", "reader"));
        await Ok(_owner, HttpMethod.Put, "/doppel/auth/policies/ivy", """{"subjects":["key:ivy"],"role":"writer","entries":[{"resource":"twins","twins":{"idPrefix":"valve"},"revoke":["read"]}]}""");
        Assert.Contains("forks the live state", await AdtAssert.Error(await Send(narrowReader, HttpMethod.Post, "/doppel/scenarios", "{}"), (int)HttpStatusCode.Forbidden, "Forbidden"), StringComparison.Ordinal);
        using var allowed = await Send(writer, HttpMethod.Put, "/jobs/imports/j1", Import, contentType: "application/x-ndjson");
        Assert.NotEqual(HttpStatusCode.Forbidden, allowed.StatusCode);
    }

    [Fact]
    public async Task A_selector_by_model_covers_models_that_extend_it_later()
    {
        using var reader = Client(await CreateKeyAsync("jane", "reader"));
        await Ok(_owner, HttpMethod.Put, "/doppel/auth/policies/jane", """{"subjects":["key:jane"],"entries":[{"resource":"twins","twins":{"where":"IS_OF_MODEL('dtmi:test:Valve;1')"},"revoke":["read"]}]}""");
        Assert.Equal(2, (await Query(reader, "SELECT * FROM digitaltwins")).Count);

        await Ok(_owner, HttpMethod.Post, "/models", """[{"@id":"dtmi:test:SafetyValve;1","@type":"Interface","@context":"dtmi:dtdl:context;3","extends":"dtmi:test:Valve;1"}]""");
        await Ok(_owner, HttpMethod.Put, "/digitaltwins/safety-1", """{"$metadata":{"$model":"dtmi:test:SafetyValve;1"},"line":"A"}""");

        Assert.Equal(["pump-1", "pump-2"], (await Query(reader, "SELECT * FROM digitaltwins")).Select(r => (string)r!["$dtId"]!).Order(StringComparer.Ordinal));
        await AdtAssert.Error(await Send(reader, HttpMethod.Get, "/digitaltwins/safety-1"), (int)HttpStatusCode.Forbidden, "Forbidden");
    }

    [Fact]
    public async Task A_revoked_key_stops_working_at_the_next_request()
    {
        using var writer = Client(await CreateKeyAsync("dave", "writer"));
        Assert.Equal(HttpStatusCode.OK, (await Send(writer, HttpMethod.Get, "/digitaltwins/pump-1")).StatusCode);

        await Ok(_owner, HttpMethod.Delete, "/doppel/auth/keys/dave");

        await AdtAssert.Error(await Send(writer, HttpMethod.Get, "/digitaltwins/pump-1"), (int)HttpStatusCode.Unauthorized, "Unauthorized");
        var keys = await Ok(_owner, HttpMethod.Get, "/doppel/auth/keys");
        var dave = keys["value"]!.AsArray().Single(k => (string)k!["name"]! == "dave")!;
        Assert.NotNull(dave["revoked"]);
        Assert.DoesNotContain("dpl_", keys.ToJsonString(), StringComparison.Ordinal);
        await AdtAssert.Error(await Send(_owner, HttpMethod.Post, "/doppel/auth/keys", """{"name":"dave","role":"reader"}"""), (int)HttpStatusCode.Conflict, "KeyAlreadyExists");

        // Who created and revoked the key is in the audit log, never its secret.
        var audit = await Ok(_owner, HttpMethod.Get, "/doppel/audit?resourceKind=key&resourceId=dave");
        var records = audit["value"]!.AsArray().Select(r => ((string)r!["action"]!, (string)r["subject"]!, (int)r["status"]!)).ToList();
        Assert.Equal([("key.create", "key:admin", 409), ("key.revoke", "key:admin", 204), ("key.create", "key:admin", 201)], records);
        Assert.DoesNotContain("dpl_", audit.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_live_stream_carries_only_the_events_of_twins_the_subscriber_may_read()
    {
        using var reader = Client(await CreateKeyAsync("erin", "reader"));
        await Ok(_owner, HttpMethod.Put, "/doppel/auth/policies/erin", """{"subjects":["key:erin"],"entries":[{"resource":"twins","twins":{"idPrefix":"valve"},"revoke":["read"]}]}""");
        await using var stream = await SseStream.OpenAsync(reader, "?api-version=" + ServerFixture.ApiVersion + "&types=twin");

        await Ok(_owner, HttpMethod.Patch, "/digitaltwins/valve-1", """[{"op":"replace","path":"/line","value":"C"}]""");
        await Ok(_owner, HttpMethod.Patch, "/digitaltwins/pump-2", """[{"op":"replace","path":"/line","value":"C"}]""");

        var first = await stream.NextAsync();
        Assert.Equal("pump-2", (string)JsonNode.Parse(first.Data)!["subject"]!);
    }

    [Fact]
    public async Task An_event_route_delivers_only_what_its_creator_may_read()
    {
        await using var webhook = await WebhookReceiver.StartAsync();
        using var writer = Client(await CreateKeyAsync("frank", "writer"));
        await Ok(_owner, HttpMethod.Put, "/doppel/auth/policies/frank", """{"subjects":["key:frank"],"entries":[{"resource":"twins","twins":{"idPrefix":"valve"},"revoke":["read"]}]}""");
        await Ok(writer, HttpMethod.Put, "/doppel/endpoints/hook", $$"""{"type":"webhook","url":"{{webhook.Url}}hook"}""");
        await Ok(writer, HttpMethod.Put, "/eventroutes/everything", """{"endpointName":"hook","filter":"type = 'Microsoft.DigitalTwins.Twin.Update'"}""");

        await Ok(_owner, HttpMethod.Patch, "/digitaltwins/valve-1", """[{"op":"replace","path":"/line","value":"D"}]""");
        await Ok(_owner, HttpMethod.Patch, "/digitaltwins/pump-1", """[{"op":"replace","path":"/line","value":"D"}]""");

        // Events are delivered in order: had the valve's been sent, it would come first.
        Assert.Equal("pump-1", (await webhook.NextAsync()).Subject);
    }

    [Fact]
    public async Task The_cli_acts_with_the_key_in_DOPPEL_API_KEY_and_manages_keys_and_policies()
    {
        var admin = (await File.ReadAllTextAsync(Path.Combine(_server.DataDirectory, "admin.key"))).Trim();
        var server = _server.Server.HttpAddress!.ToString();
        var policy = Path.Combine(_server.DataDirectory, "readers.yaml");
        await File.WriteAllTextAsync(policy, "id: readers\nsubjects: [ \"role:reader\" ]\nentries:\n  - resource: twins\n    twins: { idPrefix: valve }\n    revoke: [ read ]\n");

        var created = await DoppelProcess.RunWithKeyAsync(admin, "auth", "keys", "create", "gina", "--role", "reader", "--server", server);
        var put = await DoppelProcess.RunWithKeyAsync(admin, "auth", "policies", "put", "readers", policy, "--server", server);
        var key = created.StdOut.Trim();
        var whoami = await DoppelProcess.RunWithKeyAsync(key, "auth", "whoami", "--server", server);
        var query = await DoppelProcess.RunWithKeyAsync(key, "query", "SELECT T.$dtId FROM digitaltwins T", "--server", server);
        var refused = await DoppelProcess.RunWithKeyAsync(key, "auth", "keys", "list", "--server", server);
        var anonymous = await DoppelProcess.RunAsync("twins", "get", "pump-1", "--server", server);

        Assert.Equal(0, created.ExitCode);
        Assert.StartsWith("dpl_", key, StringComparison.Ordinal);
        Assert.Equal(0, put.ExitCode);
        Assert.Contains("key:gina (reader)", whoami.StdOut, StringComparison.Ordinal);
        Assert.Contains("pump-2", query.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("valve-1", query.StdOut, StringComparison.Ordinal);
        Assert.Equal(1, refused.ExitCode);
        Assert.Equal("doppel: Forbidden: key:gina may not read keys: neither its role nor a policy grants it.", refused.StdErr.Trim());
        Assert.Equal(1, anonymous.ExitCode);
        Assert.StartsWith("doppel: Unauthorized:", anonymous.StdErr.Trim(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", anonymous.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Listening_beyond_loopback_without_authentication_is_refused_unless_insecure()
    {
        var open = new DoppelServerOptions { Urls = "http://0.0.0.0:5080" };
        var mqtt = new DoppelServerOptions { Urls = "http://127.0.0.1:5080", MqttBindAddress = "0.0.0.0" };
        var insecure = new DoppelServerOptions { Urls = "http://0.0.0.0:5080", Insecure = true };
        var keys = new DoppelServerOptions { Urls = "http://0.0.0.0:5080", RequireAuthentication = true };

        Assert.Contains(open.Validate(), e => e.Contains("beyond loopback without authentication", StringComparison.Ordinal) && e.Contains("--insecure", StringComparison.Ordinal));
        Assert.Contains(mqtt.Validate(), e => e.Contains("beyond loopback", StringComparison.Ordinal));
        Assert.Empty(insecure.Validate());
        Assert.True(insecure.AnonymousAllowed);
        Assert.Empty(keys.Validate());
        Assert.False(keys.AnonymousAllowed);
        Assert.True(new DoppelServerOptions().AnonymousAllowed);
    }

    private async Task<string> CreateKeyAsync(string name, string role)
    {
        var created = await Ok(_owner, HttpMethod.Post, "/doppel/auth/keys", $$"""{"name":"{{name}}","role":"{{role}}"}""");
        return (string)created["key"]!;
    }

    private async Task<List<JsonNode?>> Query(HttpClient client, string query)
    {
        var page = await Ok(client, HttpMethod.Post, "/query", new JsonObject { ["query"] = query }.ToJsonString());
        return [.. page["value"]!.AsArray()];
    }

    private HttpClient Client(string credential)
    {
        var client = new HttpClient { BaseAddress = _server.Server.HttpAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        return client;
    }

    private static Task<HttpResponseMessage> Send(HttpClient client, HttpMethod method, string path, string? body = null, Action<HttpRequestMessage>? configure = null, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(method, $"{path}{(path.Contains('?') ? '&' : '?')}api-version={ServerFixture.ApiVersion}");
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, contentType);
        }
        configure?.Invoke(request);
        return client.SendAsync(request);
    }

    private static async Task<JsonNode> Ok(HttpClient client, HttpMethod method, string path, string? body = null, string contentType = "application/json")
    {
        using var response = await Send(client, method, path, body, null, contentType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path} -> {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }
}
