using System.Text;
using System.Text.Json.Nodes;
using Doppel.IntegrationTests.Support;

namespace Doppel.IntegrationTests;

/// <summary>ADT import jobs (2023-06-30+) against a real server; this class has a server of its own.</summary>
public sealed class ImportJobTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static readonly string SmallFile = Path.Combine(Repository.Root, "tests", "Doppel.IntegrationTests", "Data", "import", "small.ndjson");

    [Fact]
    public async Task An_import_job_with_models_twins_and_relationships_succeeds_and_everything_is_queryable()
    {
        var output = Path.Combine(Repository.TempFolder(), "out.ndjson");
        var job = await RunJobAsync("small", SmallFile, output);

        Assert.Equal("succeeded", (string?)job["status"]);
        Assert.Equal(2, (long)job["modelsImported"]!);
        Assert.Equal(3, (long)job["twinsImported"]!);
        Assert.Equal(2, (long)job["relationshipsImported"]!);
        Assert.Equal(0, (long)job["errors"]!);
        Assert.NotNull(job["finishedDateTime"]);
        var count = await server.SendOkAsync(HttpMethod.Post, "/query", """{"query":"SELECT COUNT() FROM DIGITALTWINS WHERE IS_OF_MODEL('dtmi:com:microsoft:azure:iot:model1;1')"}""");
        Assert.Equal(2, (int)count["value"]![0]!["COUNT"]!);
        var twin = await server.SendOkAsync(HttpMethod.Get, "/digitaltwins/twin0");
        Assert.Equal("value0", (string?)twin["property00"]);
        var relationship = await server.SendOkAsync(HttpMethod.Get, "/digitaltwins/twin0/relationships/relationship");
        Assert.Equal("twin1", (string?)relationship["$targetId"]);
        Assert.Equal("value1", (string?)relationship["relationshipproperty1"]);
        var incoming = await server.SendOkAsync(HttpMethod.Get, "/digitaltwins/twin2/incomingrelationships");
        Assert.Equal("relationship2", (string?)incoming["value"]![0]!["$relationshipId"]);
        var log = File.ReadAllLines(output).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.All(log, l => Assert.Equal("small", (string?)l["jobId"]));
        Assert.Equal("Succeeded", (string?)log[^1]["details"]!["status"]);
    }

    [Fact]
    public async Task Bad_lines_are_logged_to_the_output_and_skipped_while_the_job_goes_on()
    {
        var input = WriteFile("""
            {"Section": "Header"}
            {"fileVersion": "1.0.0", "author": "tests", "organization": "doppel"}
            {"Section": "Models"}
            {"@context":"dtmi:dtdl:context;3","@id":"dtmi:imp:bad:Thing;1","@type":"Interface","contents":[{"@type":"Property","name":"size","schema":"double"},{"@type":"Relationship","name":"next"}]}
            {"Section": "Twins"}
            {"$dtId":"bad-a","$metadata":{"$model":"dtmi:imp:bad:Thing;1"},"size":1.5}
            {"$dtId":"bad-b","$metadata":{"$model":"dtmi:imp:bad:Thing;1"},"size":"large"}
            this is not json
            {"$dtId":"bad-c","$metadata":{"$model":"dtmi:imp:bad:Missing;1"}}
            {"$dtId":"bad-a","$metadata":{"$model":"dtmi:imp:bad:Thing;1"},"size":9}
            {"$dtId":"bad-d","$metadata":{"$model":"dtmi:imp:bad:Thing;1"}}
            {"Section": "Relationships"}
            {"$sourceId":"bad-a","$relationshipId":"r1","$targetId":"bad-d","$relationshipName":"next"}
            {"$sourceId":"bad-a","$relationshipId":"r2","$targetId":"nobody","$relationshipName":"next"}
            {"$sourceId":"bad-a","$relationshipId":"r3","$targetId":"bad-d","$relationshipName":"undeclared"}
            {"$sourceId":"bad-a","$relationshipId":"r1","$targetId":"bad-d","$relationshipName":"next"}
            """);
        var output = Path.Combine(Repository.TempFolder(), "out.ndjson");
        var job = await RunJobAsync("bad-lines", input, output);

        Assert.Equal("succeeded", (string?)job["status"]);
        Assert.Equal(2, (long)job["twinsImported"]!);
        Assert.Equal(1, (long)job["relationshipsImported"]!);
        Assert.Equal(7, (long)job["errors"]!);
        var errors = File.ReadAllLines(output).Select(l => JsonNode.Parse(l)!).Where(l => (string?)l["logType"] == "Error").Select(l => l["details"]!).ToList();
        Assert.Equal(
            ["7 ValidationFailed", "8 InvalidArgument", "9 ModelNotFound", "10 DigitalTwinAlreadyExists", "14 TargetTwinNotFound", "15 InvalidRelationship", "16 RelationshipAlreadyExists"],
            errors.Select(e => $"{(long)e["line"]!} {(string?)e["code"]}"));
        Assert.Equal(1.5, (double)(await server.SendOkAsync(HttpMethod.Get, "/digitaltwins/bad-a"))["size"]!);
    }

    [Fact]
    public async Task A_malformed_header_fails_the_job_with_a_clear_message()
    {
        var input = WriteFile("""
            {"Section": "Twins"}
            {"$dtId":"never","$metadata":{"$model":"dtmi:imp:bad:Thing;1"}}
            """);
        var job = await RunJobAsync("bad-header", input, Path.Combine(Repository.TempFolder(), "out.ndjson"));

        Assert.Equal("failed", (string?)job["status"]);
        Assert.Equal("InvalidArgument", (string?)job["error"]!["code"]);
        Assert.Contains("Header", (string?)job["error"]!["message"]);
        Assert.Equal(0, (long)job["twinsImported"]!);
    }

    [Fact]
    public async Task A_second_job_while_one_runs_is_refused_and_a_cancelled_job_keeps_what_it_imported()
    {
        var lines = new StringBuilder("""
            {"Section": "Header"}
            {"fileVersion": "1.0.0"}
            {"Section": "Models"}
            {"@context":"dtmi:dtdl:context;3","@id":"dtmi:imp:big:Thing;1","@type":"Interface","contents":[{"@type":"Property","name":"n","schema":"integer"}]}
            {"Section": "Twins"}

            """);
        for (var i = 0; i < 200_000; i++)
        {
            lines.Append("{\"$dtId\":\"big-").Append(i).Append("\",\"$metadata\":{\"$model\":\"dtmi:imp:big:Thing;1\"},\"n\":").Append(i).Append("}\n");
        }
        var input = WriteFile(lines.ToString());
        var output = Path.Combine(Repository.TempFolder(), "out.ndjson");
        using var started = await StartAsync("big", input, output);
        Assert.Equal(System.Net.HttpStatusCode.Created, started.StatusCode);

        using var second = await StartAsync("second", SmallFile, output + ".2");
        await AdtAssert.Error(second, 400, "JobLimitReached");

        var cancelled = await server.SendOkAsync(HttpMethod.Post, "/jobs/imports/big/cancel");
        Assert.Contains((string?)cancelled["status"], new[] { "cancelling", "cancelled" });
        var job = await WaitAsync("big");
        Assert.Equal("cancelled", (string?)job["status"]);
        var imported = (long)job["twinsImported"]!;
        Assert.True(imported < 200_000, $"imported {imported}");
        var count = await server.SendOkAsync(HttpMethod.Post, "/query", """{"query":"SELECT COUNT() FROM DIGITALTWINS WHERE IS_OF_MODEL('dtmi:imp:big:Thing;1')"}""");
        Assert.Equal(imported, (long)count["value"]![0]!["COUNT"]!);
    }

    [Fact]
    public async Task Jobs_can_be_read_listed_and_deleted_and_unknown_ones_are_ImportJobNotFound()
    {
        await RunJobAsync("listed-1", Path.Combine(Repository.TempFolder(), "missing.ndjson"), Path.Combine(Repository.TempFolder(), "out.ndjson"));
        var failed = await server.SendOkAsync(HttpMethod.Get, "/jobs/imports/listed-1");
        Assert.Equal("failed", (string?)failed["status"]);
        Assert.EndsWith("missing.ndjson", (string?)failed["inputBlobUri"]);

        var list = await server.SendOkAsync(HttpMethod.Get, "/jobs/imports");
        Assert.Contains(list["value"]!.AsArray(), j => (string?)j!["id"] == "listed-1");

        using var deleted = await server.SendAsync(HttpMethod.Delete, "/jobs/imports/listed-1");
        Assert.Equal(System.Net.HttpStatusCode.NoContent, deleted.StatusCode);
        using var gone = await server.SendAsync(HttpMethod.Get, "/jobs/imports/listed-1");
        await AdtAssert.Error(gone, 404, "ImportJobNotFound");
        using var cancelMissing = await server.SendAsync(HttpMethod.Post, "/jobs/imports/nope/cancel");
        await AdtAssert.Error(cancelMissing, 404, "ImportJobNotFound");
        using var deleteMissing = await server.SendAsync(HttpMethod.Delete, "/jobs/imports/nope");
        await AdtAssert.Error(deleteMissing, 404, "ImportJobNotFound");
        using var noInput = await server.SendAsync(HttpMethod.Put, "/jobs/imports/x", """{"outputBlobUri":"/tmp/x"}""");
        await AdtAssert.Error(noInput, 400, "InvalidArgument");
    }

    private Task<HttpResponseMessage> StartAsync(string id, string input, string output) =>
        server.SendAsync(HttpMethod.Put, $"/jobs/imports/{id}", new JsonObject { ["inputBlobUri"] = new Uri(input).AbsoluteUri, ["outputBlobUri"] = output }.ToJsonString());

    private async Task<JsonNode> RunJobAsync(string id, string input, string output)
    {
        using var started = await StartAsync(id, input, output);
        var body = await started.Content.ReadAsStringAsync();
        Assert.True(started.StatusCode == System.Net.HttpStatusCode.Created, body);
        Assert.Equal(id, (string?)JsonNode.Parse(body)!["id"]);
        return await WaitAsync(id);
    }

    /// <summary>Reads the job until it has finished; fails, with the job as last read, if it has not within the bound.</summary>
    private Task<JsonNode> WaitAsync(string id) =>
        Poll.UntilAsync(() => server.SendOkAsync(HttpMethod.Get, $"/jobs/imports/{id}"), job => (string?)job["status"] is not ("notstarted" or "running" or "cancelling"), $"import job '{id}' to finish");

    private static string WriteFile(string text)
    {
        var path = Path.Combine(Repository.TempFolder(), "input.ndjson");
        File.WriteAllText(path, text);
        return path;
    }
}
