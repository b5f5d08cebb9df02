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

    [Fact]
    public async Task Every_acknowledged_telemetry_point_is_in_history_exactly_once_after_a_SIGKILL_and_a_retry()
    {
        const int twins = 20, workers = 8, acknowledgementsBeforeKill = 2000;
        var data = Repository.TempFolder();
        var acknowledged = new ConcurrentBag<int>();
        var server = await DoppelProcess.ServeAsync(data, "http://127.0.0.1:0");
        using (var http = new HttpClient { BaseAddress = server.Address("http") })
        {
            await Send(http, HttpMethod.Post, "/models", Model.Replace("\"Property\",\"name\":\"a\"", "\"Telemetry\",\"name\":\"a\"", StringComparison.Ordinal));
            for (var i = 0; i < twins; i++)
            {
                await Send(http, HttpMethod.Put, $"/digitaltwins/c{i}", """{"$metadata":{"$model":"dtmi:test:Counter;1"},"b":0}""");
            }

            var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var load = Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
            {
                // Message n goes to twin n % twins and carries n as its value, so a value names its message.
                for (var n = worker; ; n += workers)
                {
                    try
                    {
                        await SendTelemetry(http, n, twins);
                    }
                    catch (HttpRequestException)
                    {
                        return; // the server is gone
                    }
                    acknowledged.Add(n);
                    if (acknowledged.Count >= acknowledgementsBeforeKill)
                    {
                        enough.TrySetResult();
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
        // A device that never saw its acknowledgements would send again: the same message ids must not double the points.
        foreach (var n in acknowledged.Take(100))
        {
            await SendTelemetry(client, n, twins);
        }
        var stored = new List<int>();
        for (var i = 0; i < twins; i++)
        {
            stored.AddRange(await ReadHistory(client, $"c{i}", "a"));
        }
        AssertStoredExactlyOnce(acknowledged, stored);
    }

    [Fact]
    public async Task Every_PUBACKed_MQTT_point_is_in_history_exactly_once_after_a_SIGKILL_and_state_is_the_latest()
    {
        const int twins = 20, clients = 8, loopsPerClient = 8, acknowledgementsBeforeKill = 3000;
        const int sequences = clients * loopsPerClient;
        var data = Repository.TempFolder();
        var telemetry = new ConcurrentBag<int>();
        var properties = new ConcurrentBag<int>();
        var epoch = DateTimeOffset.UtcNow;
        var server = await DoppelProcess.ServeAsync(data, "http://127.0.0.1:0");
        using (var http = new HttpClient { BaseAddress = server.Address("http") })
        {
            await Send(http, HttpMethod.Post, "/models", Model.Replace("\"Property\",\"name\":\"a\"", "\"Telemetry\",\"name\":\"a\"", StringComparison.Ordinal));
            for (var i = 0; i < twins; i++)
            {
                await Send(http, HttpMethod.Put, $"/digitaltwins/c{i}", """{"$metadata":{"$model":"dtmi:test:Counter;1"},"b":0}""");
            }
            var devices = new List<MQTTnet.IMqttClient>();
            for (var c = 0; c < clients; c++)
            {
                devices.Add(await Mqtt.ConnectAsync(server.MqttPort!.Value, $"crash-{c}"));
            }

            var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            // Sequence s sends messages s, s + 64, ...: telemetry a = n, and every 10th also the property b = n, both at source time n ms
            // after the twins were created (so that each report is newer than the value set at creation, and none is further ahead of
            // the server's clock than the allowed skew).
            epoch = DateTimeOffset.UtcNow;
            var load = Enumerable.Range(0, sequences).Select(s => Task.Run(async () =>
            {
                var device = devices[s % clients];
                for (var n = s; ; n += sequences)
                {
                    try
                    {
                        var ack = await PublishCounter(device, n, twins, "telemetry", epoch);
                        Assert.True(ack.IsSuccess, ack.ReasonString);
                        telemetry.Add(n);
                        if (n % 10 == 0)
                        {
                            ack = await PublishCounter(device, n, twins, "properties", epoch);
                            Assert.True(ack.IsSuccess, ack.ReasonString);
                            properties.Add(n);
                        }
                    }
                    catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or InvalidOperationException)
                    {
                        return; // the broker is gone
                    }
                    if (telemetry.Count >= acknowledgementsBeforeKill)
                    {
                        enough.TrySetResult();
                    }
                }
            })).ToList();

            await enough.Task.WaitAsync(TimeSpan.FromMinutes(3));
            await server.KillAsync();
            await Task.WhenAll(load).WaitAsync(TimeSpan.FromMinutes(1));
            devices.ForEach(d => d.Dispose());
        }
        await server.DisposeAsync();

        await using var restarted = await DoppelProcess.ServeAsync(data, "http://127.0.0.1:0");
        using (var device = await Mqtt.ConnectAsync(restarted.MqttPort!.Value, "crash-retry"))
        {
            // A device that never saw its PUBACKs sends again with the same message ids: no point may double.
            foreach (var n in telemetry.Take(100))
            {
                Assert.True((await PublishCounter(device, n, twins, "telemetry", epoch)).IsSuccess);
            }
        }
        using var client = new HttpClient { BaseAddress = restarted.Address("http") };
        var stored = new List<int>();
        for (var i = 0; i < twins; i++)
        {
            var values = await ReadHistory(client, $"c{i}", "a");
            stored.AddRange(values);
            var twin = JsonNode.Parse(await client.GetStringAsync($"/digitaltwins/c{i}?api-version=2023-10-31"))!;
            var live = JsonNode.Parse(await client.GetStringAsync($"/doppel/twins/c{i}/live"))!;
            // Newest source time wins; a message durable but not yet acknowledged at the kill may be newer still, never older.
            var latestTelemetry = telemetry.Where(n => n % twins == i).DefaultIfEmpty(-1).Max();
            Assert.True((int)live["telemetry"]!["a"]!["value"]! >= latestTelemetry, $"c{i}: live a {live["telemetry"]!["a"]!["value"]} < acknowledged {latestTelemetry}");
            Assert.Equal(values.Max(), (int)live["telemetry"]!["a"]!["value"]!);
            var latestProperty = properties.Where(n => n % twins == i).DefaultIfEmpty(0).Max();
            var propertyHistory = await ReadHistory(client, $"c{i}", "b");
            Assert.True((int)twin["b"]! >= latestProperty, $"c{i}: b {twin["b"]} < acknowledged {latestProperty}");
            // History is written first, so the state holds a recorded value (the newest, unless the kill fell between the two commits).
            Assert.Contains((int)twin["b"]!, propertyHistory);
        }
        AssertStoredExactlyOnce(telemetry, stored);
    }

    private static Task<MQTTnet.MqttClientPublishResult> PublishCounter(MQTTnet.IMqttClient device, int n, int twins, string kind, DateTimeOffset epoch)
    {
        var time = epoch.AddMilliseconds(n).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        var name = kind == "telemetry" ? "a" : "b";
        return device.PublishAsync($"doppel/twins/c{n % twins}/{kind}", $$"""{"{{name}}":{{n}},"$sourceTime":"{{time}}"}""", messageId: $"{name}{n}");
    }

    /// <summary>Every acknowledged value is in history, and none twice.</summary>
    private static void AssertStoredExactlyOnce(IEnumerable<int> acknowledged, List<int> stored)
    {
        var duplicates = stored.GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicates.Count == 0, $"stored more than once: {string.Join(", ", duplicates.Take(10))}");
        var lost = acknowledged.Except(stored).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} acknowledged points are missing after the crash, e.g. {string.Join(", ", lost.Take(10))}");
    }

    private static async Task<List<int>> ReadHistory(HttpClient client, string twin, string name)
    {
        var values = new List<int>();
        string? next = $"/doppel/history/twins/{twin}?names={name}&from=2000-01-01T00:00:00Z";
        while (next is not null)
        {
            var page = JsonNode.Parse(await client.GetStringAsync(next))!;
            values.AddRange(page["value"]!.AsArray().Select(p => (int)(double)p!["value"]!));
            next = page["nextLink"] is JsonValue link ? new Uri((string)link!).PathAndQuery : null;
        }
        return values;
    }

    private static Task<string> SendTelemetry(HttpClient http, int n, int twins)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/digitaltwins/c{n % twins}/telemetry?api-version=2023-10-31")
        {
            Content = new StringContent($$"""{"a":{{n}}}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Message-Id", $"m{n}");
        return SendRequest(http, request);
    }

    private static async Task<string> Send(HttpClient http, HttpMethod method, string path, string? json)
    {
        var request = new HttpRequestMessage(method, path + "?api-version=2023-10-31");
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, method == HttpMethod.Patch ? "application/json-patch+json" : "application/json");
        }
        return await SendRequest(http, request);
    }

    private static async Task<string> SendRequest(HttpClient http, HttpRequestMessage request)
    {
        using var _ = request;
        var (method, path) = (request.Method, request.RequestUri);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {path} -> {(int)response.StatusCode}: {text}");
        }
        return text;
    }
}
