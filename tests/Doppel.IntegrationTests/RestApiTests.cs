using System.Net;
using System.Text.Json.Nodes;
using Doppel.IntegrationTests.Support;

namespace Doppel.IntegrationTests;

/// <summary>Every ADT data-plane operation and its error codes, against the real server over HTTP.</summary>
public sealed class RestApiTests(ServerFixture server) : IClassFixture<ServerFixture>, IAsyncLifetime
{
    private readonly string _ns = "dtmi:rest:t" + Guid.NewGuid().ToString("N")[..8];

    private string Sensor => $"{_ns}:Sensor;1";

    private string Room => $"{_ns}:Room;1";

    private string MeetingRoom => $"{_ns}:MeetingRoom;1";

    private string Id(string name) => $"{name}-{_ns[^8..]}";

    public async Task InitializeAsync() => await server.PutModelsAsync($$"""
        [
          {"@context":"dtmi:dtdl:context;3","@id":"{{Sensor}}","@type":"Interface","displayName":"Sensor",
           "contents":[{"@type":"Telemetry","name":"temperature","schema":"double"},
                       {"@type":"Property","name":"serial","schema":"string"}]},
          {"@context":"dtmi:dtdl:context;3","@id":"{{Room}}","@type":"Interface","displayName":{"en":"Room","fr":"Salle"},
           "contents":[
             {"@type":"Property","name":"name","schema":"string","writable":true},
             {"@type":"Property","name":"capacity","schema":"integer","writable":true},
             {"@type":"Property","name":"mode","schema":{"@type":"Enum","valueSchema":"string","enumValues":[{"name":"eco","enumValue":"eco"},{"name":"comfort","enumValue":"comfort"}]},"writable":true},
             {"@type":"Property","name":"tags","schema":{"@type":"Map","mapKey":{"name":"k","schema":"string"},"mapValue":{"name":"v","schema":"string"} },"writable":true},
             {"@type":"Relationship","name":"hasSensor","target":"{{Sensor}}","maxMultiplicity":2,
              "properties":[{"@type":"Property","name":"since","schema":"date"}]},
             {"@type":"Relationship","name":"near"},
             {"@type":"Component","name":"climate","schema":"{{Sensor}}"}]},
          {"@context":"dtmi:dtdl:context;3","@id":"{{MeetingRoom}}","@type":"Interface","extends":"{{Room}}",
           "contents":[{"@type":"Property","name":"hasProjector","schema":"boolean","writable":true}]}
        ]
        """);

    public Task DisposeAsync() => Task.CompletedTask;

    private string RoomJson(string extra = ""","capacity":4""") =>
        $$"""{"$metadata":{"$model":"{{Room}}"},"name":"R1","climate":{"$metadata":{} }{{extra}} }""";

    [Fact]
    public async Task A_model_reads_back_with_language_maps_and_its_definition_on_request()
    {
        var model = await server.SendOkAsync(HttpMethod.Get, $"/models/{Room}?includeModelDefinition=true");
        Assert.Equal("Salle", (string?)model["displayName"]!["fr"]);
        Assert.False((bool)model["decommissioned"]!);
        Assert.Equal(Room, (string?)model["model"]!["@id"]);
        var bare = await server.SendOkAsync(HttpMethod.Get, $"/models/{Room}");
        Assert.Null(bare["model"]);
    }

    [Fact]
    public async Task Uploading_an_existing_model_is_a_conflict_and_changes_nothing()
    {
        using var response = await server.SendAsync(HttpMethod.Post, "/models", $$"""
            [{"@context":"dtmi:dtdl:context;3","@id":"{{_ns}}:New;1","@type":"Interface"},
             {"@context":"dtmi:dtdl:context;3","@id":"{{Room}}","@type":"Interface"}]
            """);
        await AdtAssert.Error(response, 409, "ModelAlreadyExists");
        using var missing = await server.SendAsync(HttpMethod.Get, $"/models/{_ns}:New;1");
        await AdtAssert.Error(missing, 404, "ModelNotFound");
    }

    [Fact]
    public async Task Invalid_DTDL_is_a_parser_error_naming_the_path()
    {
        using var response = await server.SendAsync(HttpMethod.Post, "/models", $$"""
            [{"@context":"dtmi:dtdl:context;3","@id":"{{_ns}}:Bad;1","@type":"Interface","contents":[{"@type":"Property","name":"x","schema":"strng"}]}]
            """);
        var message = await AdtAssert.Error(response, 400, "DTDLParserError");
        Assert.Contains("models[0]", message + await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Models_list_pages_with_absolute_next_links_that_carry_the_api_version()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/models?api-version=2022-05-31");
        request.Headers.Add("max-items-per-page", "1");
        using var response = await server.Http.SendAsync(request);
        var page = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Single(page["value"]!.AsArray());
        var next = new Uri((string)page["nextLink"]!);
        Assert.True(next.IsAbsoluteUri);
        Assert.Contains("api-version=2022-05-31", next.Query);
        var second = await server.Http.GetFromJsonNode(next);
        Assert.NotEqual((string?)page["value"]![0]!["id"], (string?)second["value"]![0]!["id"]);
    }

    [Fact]
    public async Task Twin_put_get_patch_and_delete_round_trip_with_metadata_and_etags()
    {
        var id = Id("room");
        using var put = await server.SendAsync(HttpMethod.Put, $"/digitaltwins/{id}", RoomJson());
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var etag = put.Headers.ETag!.ToString();
        Assert.StartsWith("W/\"", etag);
        var twin = await server.SendOkAsync(HttpMethod.Get, $"/digitaltwins/{id}");
        Assert.Equal(id, (string?)twin["$dtId"]);
        Assert.Equal(etag, (string?)twin["$etag"]);
        Assert.Equal(Room, (string?)twin["$metadata"]!["$model"]);
        Assert.NotNull(twin["$metadata"]!["capacity"]!["lastUpdateTime"]);

        using var patch = await server.SendAsync(HttpMethod.Patch, $"/digitaltwins/{id}", """[{"op":"replace","path":"/capacity","value":8},{"op":"add","path":"/tags","value":{"floor":"2"}}]""", "application/json-patch+json",
            r => r.Headers.TryAddWithoutValidation("If-Match", etag));
        Assert.Equal(HttpStatusCode.NoContent, patch.StatusCode);
        Assert.NotEqual(etag, patch.Headers.ETag!.ToString());
        twin = await server.SendOkAsync(HttpMethod.Get, $"/digitaltwins/{id}");
        Assert.Equal(8, (int)twin["capacity"]!);
        Assert.Equal("2", (string?)twin["tags"]!["floor"]);

        using var stale = await server.SendAsync(HttpMethod.Patch, $"/digitaltwins/{id}", """[{"op":"replace","path":"/capacity","value":9}]""", "application/json-patch+json",
            r => r.Headers.TryAddWithoutValidation("If-Match", etag));
        await AdtAssert.Error(stale, 412, "PreconditionFailed");

        using var delete = await server.SendAsync(HttpMethod.Delete, $"/digitaltwins/{id}");
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        using var gone = await server.SendAsync(HttpMethod.Get, $"/digitaltwins/{id}");
        await AdtAssert.Error(gone, 404, "DigitalTwinNotFound");
    }

    [Fact]
    public async Task If_none_match_star_creates_only()
    {
        var id = Id("once");
        using var first = await server.SendAsync(HttpMethod.Put, $"/digitaltwins/{id}", RoomJson(), configure: r => r.Headers.TryAddWithoutValidation("If-None-Match", "*"));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using var second = await server.SendAsync(HttpMethod.Put, $"/digitaltwins/{id}", RoomJson(), configure: r => r.Headers.TryAddWithoutValidation("If-None-Match", "*"));
        await AdtAssert.Error(second, 412, "PreconditionFailed");
    }

    [Theory]
    [InlineData(""","capacity":"four" """, "capacity")]
    [InlineData(""","mode":"turbo" """, "mode")]
    [InlineData(""","unknown":1 """, "unknown")]
    [InlineData(""","tags":{"a":1} """, "tags")]
    public async Task A_twin_that_breaks_its_model_is_refused_with_the_property_named(string extra, string property)
    {
        using var response = await server.SendAsync(HttpMethod.Put, $"/digitaltwins/{Id("bad")}", RoomJson(extra));
        var message = await AdtAssert.Error(response, 400, "ValidationFailed");
        Assert.Contains(property, message);
        using var absent = await server.SendAsync(HttpMethod.Get, $"/digitaltwins/{Id("bad")}");
        await AdtAssert.Error(absent, 404, "DigitalTwinNotFound");
    }

    [Fact]
    public async Task A_twin_of_an_unknown_model_is_refused()
    {
        using var response = await server.SendAsync(HttpMethod.Put, $"/digitaltwins/{Id("x")}", $$$"""{"$metadata":{"$model":"{{{_ns}}}:Nope;1"}}""");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Relationships_are_validated_listed_both_ways_and_block_twin_deletion()
    {
        var (room, sensor, other) = (Id("r"), Id("s"), Id("o"));
        await server.SendOkAsync(HttpMethod.Put, $"/digitaltwins/{room}", RoomJson());
        await server.SendOkAsync(HttpMethod.Put, $"/digitaltwins/{other}", RoomJson());
        await server.SendOkAsync(HttpMethod.Put, $"/digitaltwins/{sensor}", $$"""{"$metadata":{"$model":"{{Sensor}}"},"serial":"X1"}""");

        var created = await server.SendOkAsync(HttpMethod.Put, $"/digitaltwins/{room}/relationships/rel1", $$"""{"$targetId":"{{sensor}}","$relationshipName":"hasSensor","since":"2024-01-31"}""");
        Assert.Equal(room, (string?)created["$sourceId"]);
        Assert.Equal("hasSensor", (string?)created["$relationshipName"]);

        using var wrongTarget = await server.SendAsync(HttpMethod.Put, $"/digitaltwins/{room}/relationships/rel2", $$"""{"$targetId":"{{other}}","$relationshipName":"hasSensor"}""");
        await AdtAssert.Error(wrongTarget, 400, "InvalidRelationship");
        using var unknownName = await server.SendAsync(HttpMethod.Put, $"/digitaltwins/{room}/relationships/rel3", $$"""{"$targetId":"{{other}}","$relationshipName":"owns"}""");
        await AdtAssert.Error(unknownName, 400, "InvalidRelationship");
        using var self = await server.SendAsync(HttpMethod.Put, $"/digitaltwins/{room}/relationships/rel4", $$"""{"$targetId":"{{room}}","$relationshipName":"near"}""");
        await AdtAssert.Error(self, 400, "OperationNotAllowed");
        using var missingTarget = await server.SendAsync(HttpMethod.Put, $"/digitaltwins/{room}/relationships/rel5", """{"$targetId":"nobody","$relationshipName":"near"}""");
        await AdtAssert.Error(missingTarget, 404, "TargetTwinNotFound");
        using var badProperty = await server.SendAsync(HttpMethod.Put, $"/digitaltwins/{room}/relationships/rel6", $$"""{"$targetId":"{{sensor}}","$relationshipName":"hasSensor","since":"yesterday"}""");
        await AdtAssert.Error(badProperty, 400, "ValidationFailed");

        var outgoing = await server.SendOkAsync(HttpMethod.Get, $"/digitaltwins/{room}/relationships?relationshipName=hasSensor");
        Assert.Equal("rel1", (string?)outgoing["value"]!.AsArray().Single()!["$relationshipId"]);
        var incoming = await server.SendOkAsync(HttpMethod.Get, $"/digitaltwins/{sensor}/incomingrelationships");
        var link = incoming["value"]!.AsArray().Single()!;
        Assert.Equal(room, (string?)link["$sourceId"]);
        Assert.Equal($"/digitaltwins/{room}/relationships/rel1", (string?)link["$relationshipLink"]);

        using var blocked = await server.SendAsync(HttpMethod.Delete, $"/digitaltwins/{sensor}");
        await AdtAssert.Error(blocked, 400, "RelationshipsNotDeleted");

        using var patch = await server.SendAsync(HttpMethod.Patch, $"/digitaltwins/{room}/relationships/rel1", """[{"op":"replace","path":"/since","value":"2025-02-01"}]""", "application/json-patch+json");
        Assert.Equal(HttpStatusCode.NoContent, patch.StatusCode);
        var read = await server.SendOkAsync(HttpMethod.Get, $"/digitaltwins/{room}/relationships/rel1");
        Assert.Equal("2025-02-01", (string?)read["since"]);

        using var delete = await server.SendAsync(HttpMethod.Delete, $"/digitaltwins/{room}/relationships/rel1");
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        using var missing = await server.SendAsync(HttpMethod.Get, $"/digitaltwins/{room}/relationships/rel1");
        await AdtAssert.Error(missing, 404, "RelationshipNotFound");
        using var deleted = await server.SendAsync(HttpMethod.Delete, $"/digitaltwins/{sensor}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
    }

    [Fact]
    public async Task Relationship_targets_accept_subtypes_and_multiplicity_is_enforced()
    {
        var (a, b, c) = (Id("ma"), Id("mb"), Id("mc"));
        await server.SendOkAsync(HttpMethod.Put, $"/digitaltwins/{a}", $$"""{"$metadata":{"$model":"{{MeetingRoom}}"},"hasProjector":true,"climate":{"$metadata":{} } }""");
        await server.SendOkAsync(HttpMethod.Put, $"/digitaltwins/{b}", RoomJson());
        await server.SendOkAsync(HttpMethod.Put, $"/digitaltwins/{c}", RoomJson());
        await server.SendOkAsync(HttpMethod.Put, $"/digitaltwins/{b}/relationships/n1", $$"""{"$targetId":"{{a}}","$relationshipName":"near"}""");
        // MeetingRoom inherits Room's relationships.
        await server.SendOkAsync(HttpMethod.Put, $"/digitaltwins/{a}/relationships/n1", $$"""{"$targetId":"{{c}}","$relationshipName":"near"}""");
    }

    [Fact]
    public async Task Components_are_read_and_patched_and_unknown_ones_are_not_found()
    {
        var id = Id("comp");
        await server.SendOkAsync(HttpMethod.Put, $"/digitaltwins/{id}", RoomJson());
        using var patch = await server.SendAsync(HttpMethod.Patch, $"/digitaltwins/{id}/components/climate", """[{"op":"add","path":"/serial","value":"C-9"}]""", "application/json-patch+json");
        Assert.Equal(HttpStatusCode.NoContent, patch.StatusCode);
        var component = await server.SendOkAsync(HttpMethod.Get, $"/digitaltwins/{id}/components/climate");
        Assert.Equal("C-9", (string?)component["serial"]);
        Assert.NotNull(component["$metadata"]!["serial"]!["lastUpdateTime"]);
        using var unknown = await server.SendAsync(HttpMethod.Get, $"/digitaltwins/{id}/components/nope");
        await AdtAssert.Error(unknown, 404, "ComponentNotFound");
    }

    [Fact]
    public async Task Telemetry_is_checked_against_the_model()
    {
        var id = Id("tele");
        await server.SendOkAsync(HttpMethod.Put, $"/digitaltwins/{id}", $$$"""{"$metadata":{"$model":"{{{Sensor}}}"}}""");
        using var ok = await server.SendAsync(HttpMethod.Post, $"/digitaltwins/{id}/telemetry", """{"temperature":21.5}""", configure: r => r.Headers.Add("Message-Id", "m1"));
        Assert.Equal(HttpStatusCode.NoContent, ok.StatusCode);
        using var wrong = await server.SendAsync(HttpMethod.Post, $"/digitaltwins/{id}/telemetry", """{"temperature":"hot"}""", configure: r => r.Headers.Add("Message-Id", "m2"));
        await AdtAssert.Error(wrong, 400, "ValidationFailed");
        using var noId = await server.SendAsync(HttpMethod.Post, $"/digitaltwins/{id}/telemetry", """{"temperature":1}""");
        await AdtAssert.Error(noId, 400, "MissingArgument");
    }

    [Fact]
    public async Task Queries_page_with_continuation_tokens_and_report_their_charge()
    {
        for (var i = 0; i < 5; i++)
        {
            await server.SendOkAsync(HttpMethod.Put, $"/digitaltwins/{Id("q" + i)}", RoomJson());
        }
        var seen = new List<string>();
        string? token = null;
        do
        {
            using var response = await server.SendAsync(HttpMethod.Post, "/query", new JsonObject { ["query"] = $"SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL('{Room}') AND STARTSWITH($dtId, 'q')", ["continuationToken"] = token }.ToJsonString(),
                configure: r => r.Headers.Add("max-items-per-page", "2"));
            Assert.True(response.Headers.Contains("query-charge"));
            var page = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            seen.AddRange(page["value"]!.AsArray().Select(t => (string)t!["$dtId"]!));
            token = (string?)page["continuationToken"];
        }
        while (token is not null);
        Assert.Equal(Enumerable.Range(0, 5).Select(i => Id("q" + i)).Order(StringComparer.Ordinal), seen);
    }

    [Theory]
    [InlineData("SELECT * FROM DIGITALTWINS WHERE", "SqlQueryError")]
    [InlineData("SELEC * FROM DIGITALTWINS", "SqlQueryError")]
    public async Task A_bad_query_is_an_error_with_its_position(string query, string code)
    {
        using var response = await server.SendAsync(HttpMethod.Post, "/query", new JsonObject { ["query"] = query }.ToJsonString());
        var message = await AdtAssert.Error(response, 400, code);
        Assert.Matches(@"\d+:\d+|line", message);
    }

    [Fact]
    public async Task A_bad_continuation_token_is_a_bad_request()
    {
        using var response = await server.SendAsync(HttpMethod.Post, "/query", """{"query":"SELECT * FROM DIGITALTWINS","continuationToken":"not-a-token"}""");
        await AdtAssert.Error(response, 400, "BadRequest");
    }

    [Fact]
    public async Task Event_routes_are_created_listed_and_deleted()
    {
        var id = Id("route");
        await server.SendOkAsync(HttpMethod.Put, "/doppel/endpoints/hub", """{"type":"webhook","url":"https://hub.example/events"}""");
        using var put = await server.SendAsync(HttpMethod.Put, $"/eventroutes/{id}", """{"endpointName":"hub","filter":"false"}""");
        Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        var route = await server.SendOkAsync(HttpMethod.Get, $"/eventroutes/{id}");
        Assert.Equal("hub", (string?)route["endpointName"]);
        using var noEndpoint = await server.SendAsync(HttpMethod.Put, $"/eventroutes/{id}", """{"filter":"true"}""");
        await AdtAssert.Error(noEndpoint, 400, "EventRouteEndpointInvalid");
        using var delete = await server.SendAsync(HttpMethod.Delete, $"/eventroutes/{id}");
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        using var gone = await server.SendAsync(HttpMethod.Get, $"/eventroutes/{id}");
        await AdtAssert.Error(gone, 404, "EventRouteNotFound");
    }

    [Fact]
    public async Task Decommissioned_models_refuse_new_twins_and_referenced_models_refuse_deletion()
    {
        var leaf = $"{_ns}:Leaf;1";
        await server.PutModelsAsync($$"""[{"@context":"dtmi:dtdl:context;3","@id":"{{leaf}}","@type":"Interface","extends":"{{Sensor}}"}]""");
        using var referenced = await server.SendAsync(HttpMethod.Delete, $"/models/{Sensor}");
        await AdtAssert.Error(referenced, 409, "ModelReferencesNotDeleted");
        using var decommission = await server.SendAsync(HttpMethod.Patch, $"/models/{leaf}", """[{"op":"replace","path":"/decommissioned","value":true}]""", "application/json-patch+json");
        Assert.Equal(HttpStatusCode.NoContent, decommission.StatusCode);
        using var refused = await server.SendAsync(HttpMethod.Put, $"/digitaltwins/{Id("leaf")}", $$$"""{"$metadata":{"$model":"{{{leaf}}}"}}""");
        await AdtAssert.Error(refused, 400, "ModelDecommissioned");
        using var delete = await server.SendAsync(HttpMethod.Delete, $"/models/{leaf}");
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
    }

    [Theory]
    [InlineData("", "MissingArgument")]
    [InlineData("1999-01-01", "InvalidArgument")]
    public async Task Requests_without_a_supported_api_version_are_refused(string version, string code)
    {
        using var response = await server.Http.GetAsync(version.Length == 0 ? "/models" : $"/models?api-version={version}");
        await AdtAssert.Error(response, 400, code);
    }

    [Fact]
    public async Task Every_supported_api_version_is_accepted()
    {
        foreach (var version in new[] { "2020-10-31", "2022-05-31", "2023-06-30", "2023-10-31" })
        {
            using var response = await server.Http.GetAsync($"/models/{Room}?api-version={version}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task Malformed_json_says_where_and_leaves_the_server_up()
    {
        using var response = await server.SendAsync(HttpMethod.Put, $"/digitaltwins/{Id("m")}", """{"$metadata": {"$model": """);
        var message = await AdtAssert.Error(response, 400, "InvalidArgument");
        Assert.Contains("line", message);
        await server.SendOkAsync(HttpMethod.Get, $"/models/{Room}");
    }

    [Fact]
    public async Task A_duplicated_property_is_refused_as_invalid_json()
    {
        using var response = await server.SendAsync(HttpMethod.Put, $"/digitaltwins/{Id("dup")}", RoomJson(""","capacity":4,"capacity":5 """));
        var message = await AdtAssert.Error(response, 400, "InvalidArgument");
        Assert.Contains("capacity", message);
    }

    [Fact]
    public async Task An_oversized_twin_body_is_refused_by_the_limit()
    {
        var big = new string('x', 40 * 1024);
        using var response = await server.SendAsync(HttpMethod.Put, $"/digitaltwins/{Id("big")}", RoomJson($$""","name":"{{big}}" """));
        await AdtAssert.Error(response, 413, "LimitExceeded");
    }

    [Fact]
    public async Task An_invalid_patch_is_refused_and_the_twin_is_unchanged()
    {
        var id = Id("p");
        await server.SendOkAsync(HttpMethod.Put, $"/digitaltwins/{id}", RoomJson());
        foreach (var patch in new[] { """{"op":"replace"}""", """[{"op":"move","from":"/a","path":"/b"}]""", """[{"op":"remove","path":"/nothing"}]""" })
        {
            using var response = await server.SendAsync(HttpMethod.Patch, $"/digitaltwins/{id}", patch, "application/json-patch+json");
            await AdtAssert.Error(response, 400, "JsonPatchInvalid");
        }
        var twin = await server.SendOkAsync(HttpMethod.Get, $"/digitaltwins/{id}");
        Assert.Equal(4, (int)twin["capacity"]!);
    }

    [Fact]
    public async Task Concurrent_writers_with_the_same_etag_one_wins_and_one_gets_412()
    {
        var id = Id("race");
        using var put = await server.SendAsync(HttpMethod.Put, $"/digitaltwins/{id}", RoomJson());
        var etag = put.Headers.ETag!.ToString();
        var writes = Enumerable.Range(0, 8).Select(async i =>
        {
            using var response = await server.SendAsync(HttpMethod.Patch, $"/digitaltwins/{id}", $$"""[{"op":"replace","path":"/capacity","value":{{i}}}]""", "application/json-patch+json",
                r => r.Headers.TryAddWithoutValidation("If-Match", etag));
            return (int)response.StatusCode;
        });
        var statuses = await Task.WhenAll(writes);
        Assert.Equal(1, statuses.Count(s => s == 204));
        Assert.Equal(7, statuses.Count(s => s == 412));
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_ADT_operations()
    {
        var document = await server.Http.GetFromJsonNode(new Uri(server.Http.BaseAddress!, "/openapi/v1.json"));
        var paths = document["paths"]!.AsObject();
        Assert.Contains("/digitaltwins/{id}", paths.Select(p => p.Key));
        Assert.Contains("/query", paths.Select(p => p.Key));
    }
}

internal static class HttpClientExtensions
{
    public static async Task<JsonNode> GetFromJsonNode(this HttpClient http, Uri uri)
    {
        using var response = await http.GetAsync(uri);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {uri} -> {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }
}
