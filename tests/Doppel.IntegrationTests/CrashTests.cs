using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Doppel.IntegrationTests.Support;

namespace Doppel.IntegrationTests;

/// <summary>A 2xx means committed: kill -9 the server under write load, restart, and find every acknowledged write.</summary>
public sealed class CrashTests
{
    private const string Model = """
        [{"@context":"dtmi:dtdl:context;3","@id":"dtmi:test:Counter;1","@type":"Interface",
          "contents":[{"@type":"Property","name":"a","schema":"integer"},{"@type":"Property","name":"b","schema":"integer"}]}]
        """;

    [Fact]
    public async Task Every_acknowledged_write_survives_a_SIGKILL_and_none_is_half_applied()
    {
        const int twins = 200, workers = 16, acknowledgementsBeforeKill = 3000;
        var data = Repository.TempFolder();
        var acknowledged = new ConcurrentDictionary<string, int>();
        var server = await DoppelProcess.ServeAsync(data, "http://127.0.0.1:0");
        using (var http = new HttpClient { BaseAddress = server.Address("http") })
        {
            await Send(http, HttpMethod.Post, "/models", Model);
            for (var i = 0; i < twins; i++)
            {
                await Send(http, HttpMethod.Put, $"/digitaltwins/c{i}", """{"$metadata":{"$model":"dtmi:test:Counter;1"},"a":0,"b":0}""");
                acknowledged[$"c{i}"] = 0;
            }

            var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var total = 0;
            var load = Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
            {
                // Each worker owns its twins, so a twin has at most one write in flight.
                for (var round = 1; ; round++)
                {
                    for (var i = worker; i < twins; i += workers)
                    {
                        var id = $"c{i}";
                        var patch = $$"""[{"op":"replace","path":"/a","value":{{round}}},{"op":"replace","path":"/b","value":{{round}}}]""";
                        try
                        {
                            await Send(http, HttpMethod.Patch, $"/digitaltwins/{id}", patch);
                        }
                        catch (HttpRequestException)
                        {
                            return; // the server is gone
                        }
                        acknowledged[id] = round;
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
        foreach (var (id, round) in acknowledged)
        {
            var twin = JsonNode.Parse(await Send(client, HttpMethod.Get, $"/digitaltwins/{id}", null))!;
            var (a, b) = ((int)twin["a"]!, (int)twin["b"]!);
            Assert.True(a == b, $"{id} is half-applied: a={a}, b={b}");
            Assert.True(a == round || a == round + 1, $"{id} was acknowledged at {round} but holds {a} after the crash");
        }
    }

    private static async Task<string> Send(HttpClient http, HttpMethod method, string path, string? json)
    {
        using var request = new HttpRequestMessage(method, path + "?api-version=2023-10-31");
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, method == HttpMethod.Patch ? "application/json-patch+json" : "application/json");
        }
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {path} -> {(int)response.StatusCode}: {text}");
        }
        return text;
    }
}
