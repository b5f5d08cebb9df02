using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Doppel.IntegrationTests.Support;

namespace Doppel.IntegrationTests;

/// <summary>
/// JWT bearer tokens of a real OpenID Connect issuer (<see cref="TestIssuer"/>, served over HTTP on loopback): Doppel
/// fetches its discovery document and keys, and each role and policy allows exactly what it should.
/// </summary>
public sealed class BearerTokenTests(BearerTokenTests.Issued fixture) : IClassFixture<BearerTokenTests.Issued>
{
    private const string Audience = "https://doppel.test/api";
    private const string Model = "dtmi:security:Room;1";

    private TestIssuer Issuer => fixture.Issuer;

    [Fact]
    public async Task A_reader_token_reads_twins_and_is_refused_a_patch_in_ADT_shape()
    {
        var reader = Issuer.Token("reader-1", Audience, ["reader"]);

        using var read = await SendAsync(HttpMethod.Get, "/digitaltwins/room-1", reader);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("room-1", (string?)JsonNode.Parse(await read.Content.ReadAsStringAsync())!["$dtId"]);

        using var patch = await SendAsync(HttpMethod.Patch, "/digitaltwins/room-1", reader, """[{"op":"replace","path":"/temperature","value":30}]""", "application/json-patch+json");
        var message = await AdtAssert.Error(patch, 403, "Forbidden");
        Assert.Contains("oidc:reader-1", message, StringComparison.Ordinal);
        Assert.Equal(20.0, (double)(await fixture.GetAsync("/digitaltwins/room-1"))["temperature"]!);
    }

    [Fact]
    public async Task A_writer_token_patches()
    {
        var writer = Issuer.Token("writer-1", Audience, ["writer"]);

        using var patch = await SendAsync(HttpMethod.Patch, "/digitaltwins/room-2", writer, """[{"op":"replace","path":"/temperature","value":23.5}]""", "application/json-patch+json");

        Assert.Equal(HttpStatusCode.NoContent, patch.StatusCode);
        Assert.Equal(23.5, (double)(await fixture.GetAsync("/digitaltwins/room-2"))["temperature"]!);
        // A writer changes the graph, not who may do what.
        using var policy = await SendAsync(HttpMethod.Put, "/doppel/auth/policies/by-writer", writer, """{"subjects":["oidc:writer-1"],"role":"owner"}""");
        await AdtAssert.Error(policy, 403, "Forbidden");
    }

    [Fact]
    public async Task An_ADT_Data_Owner_token_manages_policies()
    {
        var owner = Issuer.Token("owner-1", Audience, ["Azure Digital Twins Data Owner"]);

        using var put = await SendAsync(HttpMethod.Put, "/doppel/auth/policies/owner-made", owner, """{"subjects":["oidc:nobody"],"entries":[{"resource":"twins","grant":["read"]}]}""");
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        using var list = await SendAsync(HttpMethod.Get, "/doppel/auth/policies", owner);
        Assert.Contains("owner-made", (await list.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        using var delete = await SendAsync(HttpMethod.Delete, "/doppel/auth/policies/owner-made", owner);
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);

        using var whoami = await SendAsync(HttpMethod.Get, "/doppel/auth/whoami", owner);
        var me = JsonNode.Parse(await whoami.Content.ReadAsStringAsync())!;
        Assert.Equal("oidc:owner-1", (string?)me["subject"]);
        Assert.Equal("owner", (string?)me["role"]);
    }

    [Fact]
    public async Task A_policy_for_the_token_subject_narrows_its_role_at_once()
    {
        var token = Issuer.Token("narrowed-1", Audience, ["reader"]);
        using (var before = await SendAsync(HttpMethod.Get, "/digitaltwins/secret-1", token))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await fixture.PutPolicyAsync("narrow-reader", """
            {"subjects":["oidc:narrowed-1"],
             "entries":[{"resource":"twins","twins":{"idPrefix":"secret-"},"revoke":["read"]}]}
            """);

        using var secret = await SendAsync(HttpMethod.Get, "/digitaltwins/secret-1", token);
        await AdtAssert.Error(secret, 403, "Forbidden");
        using var room = await SendAsync(HttpMethod.Get, "/digitaltwins/room-1", token);
        Assert.Equal(HttpStatusCode.OK, room.StatusCode);
        // Queries leave out the rows the subject may not read, rather than failing.
        using var query = await SendAsync(HttpMethod.Post, "/query", token, $$"""{"query":"SELECT T.$dtId FROM DIGITALTWINS T WHERE IS_OF_MODEL(T, '{{Model}}')"}""");
        var ids = JsonNode.Parse(await query.Content.ReadAsStringAsync())!["value"]!.AsArray().Select(r => (string)r!["$dtId"]!).Order().ToList();
        Assert.Equal(["room-1", "room-2"], ids);
        // Another subject with the same role is not narrowed.
        using var other = await SendAsync(HttpMethod.Get, "/digitaltwins/secret-1", Issuer.Token("reader-2", Audience, ["reader"]));
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task A_token_without_a_role_may_do_only_what_a_policy_grants()
    {
        var device = Issuer.Token("device-1", Audience, []);
        using (var refused = await SendAsync(HttpMethod.Get, "/digitaltwins/room-1", device))
        {
            await AdtAssert.Error(refused, 403, "Forbidden");
        }

        await fixture.PutPolicyAsync("device-1-rooms", """
            {"subjects":["oidc:device-1"],"entries":[{"resource":"twins","twins":{"idPrefix":"room-"},"grant":["read"]}]}
            """);

        using var room = await SendAsync(HttpMethod.Get, "/digitaltwins/room-1", device);
        Assert.Equal(HttpStatusCode.OK, room.StatusCode);
        using var secret = await SendAsync(HttpMethod.Get, "/digitaltwins/secret-1", device);
        await AdtAssert.Error(secret, 403, "Forbidden");
    }

    public static TheoryData<string> RefusedTokens => ["forged", "wrong-audience", "expired", "other-issuer", "not-a-jwt"];

    [Theory]
    [MemberData(nameof(RefusedTokens))]
    public async Task A_refused_token_gets_401_with_a_one_line_reason(string kind)
    {
        using var forger = RSA.Create(2048);
        var (token, reason) = kind switch
        {
            "forged" => (Issuer.Token("mallory", Audience, ["owner"], signedBy: forger), "signature"),
            "wrong-audience" => (Issuer.Token("mallory", "https://elsewhere.test", ["owner"]), "audience"),
            // Issued two hours ago, valid for one: expired an hour ago, far beyond the allowed clock skew.
            "expired" => (Issuer.Token("mallory", Audience, ["owner"], issuedAt: DateTimeOffset.UtcNow.AddHours(-2)), "expired"),
            "other-issuer" => (await fixture.OtherIssuerTokenAsync(Audience), "sign"),
            _ => ("not.a.jwt", "not a JWT"),
        };

        using var response = await SendAsync(HttpMethod.Get, "/digitaltwins/room-1", token);

        var message = await AdtAssert.Error(response, 401, "Unauthorized");
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.DoesNotContain('\n', message);
        Assert.Contains(reason, message, StringComparison.OrdinalIgnoreCase);
        Assert.True(message.Length < 300, $"the reason is not short: {message}");
    }

    [Fact]
    public async Task A_token_in_the_access_token_parameter_is_accepted_as_browsers_event_streams_send_it()
    {
        using var http = new HttpClient { BaseAddress = fixture.Server.Server.HttpAddress };
        var reader = Issuer.Token("reader-3", Audience, ["reader"]);

        using var response = await http.GetAsync($"/digitaltwins/room-1?api-version={ServerFixture.ApiVersion}&access_token={reader}");

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task No_token_gets_401_with_a_bearer_challenge()
    {
        using var http = new HttpClient { BaseAddress = fixture.Server.Server.HttpAddress };

        using var response = await http.GetAsync($"/digitaltwins/room-1?api-version={ServerFixture.ApiVersion}");

        await AdtAssert.Error(response, 401, "Unauthorized");
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string token, string? json = null, string contentType = "application/json") =>
        fixture.Server.SendAsync(method, path, json, contentType, request => request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token));

    /// <summary>One issuer, and one Doppel that accepts its tokens for <see cref="Audience"/>, with rooms and a secret twin.</summary>
    public sealed class Issued : IAsyncLifetime
    {
        public TestIssuer Issuer { get; private set; } = null!;

        public ServerFixture Server { get; private set; } = null!;

        private string _owner = null!;

        public async Task InitializeAsync()
        {
            Issuer = await TestIssuer.StartAsync();
            Server = new ServerFixture
            {
                Configure = o =>
                {
                    o.AuthAuthority = Issuer.Authority;
                    o.AuthAudience = Audience;
                },
            };
            await Server.InitializeAsync();
            _owner = Issuer.Token("setup", Audience, ["owner"]);
            await OkAsync(HttpMethod.Post, "/models", $$"""
                [{"@context":"dtmi:dtdl:context;3","@id":"{{Model}}","@type":"Interface","contents":[{"@type":"Property","name":"temperature","schema":"double"}]}]
                """);
            foreach (var id in new[] { "room-1", "room-2", "secret-1" })
            {
                await OkAsync(HttpMethod.Put, $"/digitaltwins/{id}", $$"""{"$metadata":{"$model":"{{Model}}"},"temperature":20}""");
            }
        }

        public async Task DisposeAsync()
        {
            await Server.DisposeAsync();
            await Issuer.DisposeAsync();
        }

        public Task<JsonNode> GetAsync(string path) => OkAsync(HttpMethod.Get, path);

        public Task<JsonNode> PutPolicyAsync(string id, string json) => OkAsync(HttpMethod.Put, $"/doppel/auth/policies/{id}", json);

        /// <summary>A well-formed token for this audience from another issuer, whose keys Doppel does not know.</summary>
        public async Task<string> OtherIssuerTokenAsync(string audience)
        {
            await using var other = await TestIssuer.StartAsync();
            return other.Token("mallory", audience, ["owner"]);
        }

        private async Task<JsonNode> OkAsync(HttpMethod method, string path, string? json = null)
        {
            using var response = await Server.SendAsync(method, path, json, configure: r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _owner));
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{method} {path} -> {(int)response.StatusCode}: {text}");
            return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
        }
    }
}
