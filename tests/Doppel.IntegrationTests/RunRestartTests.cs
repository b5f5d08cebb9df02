using System.Net;
using System.Text.Json.Nodes;
using Doppel.IntegrationTests.Support;

namespace Doppel.IntegrationTests;

/// <summary>Runs are kept in the data folder: finished ones survive a restart, unfinished ones come back failed; the queue has a bound.</summary>
public sealed class RunRestartTests
{
    [Fact]
    public async Task Finished_runs_survive_a_restart_and_runs_cut_off_by_the_stop_come_back_failed()
    {
        var folder = Repository.TempFolder();
        JsonNode kept;
        // Given a finished run, a running one and a queued one when the server stops
        var first = new ServerFixture { DataDirectory = folder };
        await first.InitializeAsync();
        try
        {
            await first.SendOkAsync(HttpMethod.Post, "/doppel/experiments", Scenarios.Named("kept", Scenarios.Experiment(3, 3000)), "application/yaml");
            kept = await first.SendOkAsync(HttpMethod.Get, "/doppel/runs/kept");
            await first.SendOkAsync(HttpMethod.Post, "/doppel/experiments?wait=false", Scenarios.Named("cut", Scenarios.Long), "application/yaml");
            await first.SendOkAsync(HttpMethod.Post, "/doppel/experiments?wait=false", Scenarios.Named("waiting", Scenarios.Long), "application/yaml");
            await RunEvents.UntilAsync(first.Http, "cut", r => (int)r["progress"]!["completed"]! > 0, "the run to be under way");
        }
        finally
        {
            await first.DisposeAsync();
        }

        // When the server starts again on the same folder
        var second = new ServerFixture { DataDirectory = folder };
        await second.InitializeAsync();
        try
        {
            // Then the finished run is as it was, and the others failed, saying why
            Assert.True(JsonNode.DeepEquals(kept, await second.SendOkAsync(HttpMethod.Get, "/doppel/runs/kept")));
            var cut = await second.SendOkAsync(HttpMethod.Get, "/doppel/runs/cut");
            Assert.Equal("failed", (string?)cut["status"]);
            Assert.Equal("RunInterrupted", (string?)cut["error"]!["code"]);
            Assert.Contains("interrupted by a server restart: it was running", (string?)cut["error"]!["message"], StringComparison.Ordinal);
            Assert.NotNull(cut["finishedDateTime"]);
            var waiting = await second.SendOkAsync(HttpMethod.Get, "/doppel/runs/waiting");
            Assert.Equal("failed", (string?)waiting["status"]);
            Assert.Contains("it was queued", (string?)waiting["error"]!["message"], StringComparison.Ordinal);
            Assert.Equal(["kept", "cut", "waiting"], (await second.SendOkAsync(HttpMethod.Get, "/doppel/runs"))["value"]!.AsArray().Select(r => (string?)r!["id"]));

            // And a deletion is durable too
            using var deleted = await second.SendAsync(HttpMethod.Delete, "/doppel/runs/kept");
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }
        finally
        {
            await second.DisposeAsync();
        }
        var third = new ServerFixture { DataDirectory = folder };
        await third.InitializeAsync();
        try
        {
            Assert.Equal(["cut", "waiting"], (await third.SendOkAsync(HttpMethod.Get, "/doppel/runs"))["value"]!.AsArray().Select(r => (string?)r!["id"]));
        }
        finally
        {
            await third.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_burst_beyond_the_queue_is_refused_with_429_and_a_waiting_request_is_answered_when_the_server_stops()
    {
        var server = new ServerFixture { Configure = o => o.MaxQueuedRuns = 1 };
        await server.InitializeAsync();
        using var client = new HttpClient();
        Task<HttpResponseMessage> waiting;
        try
        {
            await server.SendOkAsync(HttpMethod.Post, "/doppel/experiments?wait=false", Scenarios.Named("running", Scenarios.Long), "application/yaml");
            // A client of its own that waits for its result, queued behind the running one.
            waiting = client.PostAsync(new Uri(server.Server.HttpAddress!, "/doppel/experiments"),
                new StringContent(Scenarios.Named("waiter", Scenarios.Experiment(2, 1000)), System.Text.Encoding.UTF8, "application/yaml"));
            await Poll.UntilAsync(async () =>
            {
                using var response = await server.SendAsync(HttpMethod.Get, "/doppel/runs/waiter");
                return response.StatusCode;
            }, status => status == HttpStatusCode.OK, "the waiting run to be accepted");

            using var refused = await server.SendAsync(HttpMethod.Post, "/doppel/experiments?wait=false", Scenarios.Experiment(2, 1000), "application/yaml");

            Assert.Contains("1 run(s) are running and 1 waiting", await AdtAssert.Error(refused, 429, "RunQueueFull"), StringComparison.Ordinal);
        }
        finally
        {
            await server.DisposeAsync();
        }
        using var answer = await waiting;
        Assert.Contains("server is stopping", await AdtAssert.Error(answer, 503, "ServiceUnavailable"), StringComparison.Ordinal);
    }
}
