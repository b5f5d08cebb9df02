using System.Net;
using Doppel.IntegrationTests.Support;

namespace Doppel.IntegrationTests;

/// <summary>ADT delete jobs empty the whole instance; this class has a server of its own.</summary>
public sealed class DeleteJobTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task A_delete_job_removes_every_relationship_twin_and_model()
    {
        await server.PutModelsAsync("""
            [{"@context":"dtmi:dtdl:context;3","@id":"dtmi:jobs:Base;1","@type":"Interface","contents":[{"@type":"Relationship","name":"next"}]},
             {"@context":"dtmi:dtdl:context;3","@id":"dtmi:jobs:Leaf;1","@type":"Interface","extends":"dtmi:jobs:Base;1"}]
            """);
        for (var i = 0; i < 20; i++)
        {
            await server.SendOkAsync(HttpMethod.Put, $"/digitaltwins/t{i}", """{"$metadata":{"$model":"dtmi:jobs:Leaf;1"}}""");
        }
        for (var i = 1; i < 20; i++)
        {
            await server.SendOkAsync(HttpMethod.Put, $"/digitaltwins/t{i}/relationships/r", $$"""{"$targetId":"t{{i - 1}}","$relationshipName":"next"}""");
        }

        using var start = await server.SendAsync(HttpMethod.Post, "/jobs/deletions", configure: r => r.Headers.Add("operation-id", "job-1"));
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var location = start.Headers.GetValues("Operation-Location").Single();
        Assert.Contains("/jobs/deletions/job-1", location);

        // Bounded, paced, and failing with the job as last read (Poll), rather than spinning and then asserting on a stale read.
        var job = await Poll.UntilAsync(() => server.Http.GetFromJsonNode(new Uri(location)), j => (string?)j["status"] is not ("notstarted" or "running"), "the delete job to finish");
        Assert.Equal("succeeded", (string?)job["status"]);

        var twins = await server.SendOkAsync(HttpMethod.Post, "/query", """{"query":"SELECT COUNT() FROM DIGITALTWINS"}""");
        Assert.Equal(0, (int)twins["value"]![0]!["COUNT"]!);
        var models = await server.SendOkAsync(HttpMethod.Get, "/models");
        Assert.Empty(models["value"]!.AsArray());
        var list = await server.SendOkAsync(HttpMethod.Get, "/jobs/deletions");
        Assert.Equal("job-1", (string?)list["value"]!.AsArray().Single()!["id"]);
        using var missing = await server.SendAsync(HttpMethod.Get, "/jobs/deletions/nope");
        await AdtAssert.Error(missing, 404, "DeleteJobNotFound");
    }
}
