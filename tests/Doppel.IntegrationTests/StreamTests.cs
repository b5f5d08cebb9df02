using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.IntegrationTests.Support;
using Doppel.Server.Streams;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Doppel.IntegrationTests;

/// <summary>Live streams through the real server: Server-Sent Events, SignalR and `doppel watch`, with filters and drop accounting.</summary>
public sealed class StreamTests(ServerFixture server) : IClassFixture<ServerFixture>, IAsyncLifetime
{
    private readonly string _ns = "dtmi:streams:t" + Guid.NewGuid().ToString("N")[..8];

    private string Device => $"{_ns}:Device;1";

    private string SmartDevice => $"{_ns}:SmartDevice;1";

    private string Other => $"{_ns}:Other;1";

    private string Id(string name) => $"{name}-{_ns[^8..]}";

    public async Task InitializeAsync() => await server.PutModelsAsync($$"""
        [
          {"@context":"dtmi:dtdl:context;3","@id":"{{Device}}","@type":"Interface",
           "contents":[{"@type":"Property","name":"temperature","schema":"double","writable":true},
                       {"@type":"Telemetry","name":"reading","schema":"double"},
                       {"@type":"Relationship","name":"feeds"}]},
          {"@context":"dtmi:dtdl:context;3","@id":"{{SmartDevice}}","@type":"Interface","extends":"{{Device}}",
           "contents":[{"@type":"Property","name":"firmware","schema":"string","writable":true}]},
          {"@context":"dtmi:dtdl:context;3","@id":"{{Other}}","@type":"Interface",
           "contents":[{"@type":"Property","name":"temperature","schema":"double","writable":true}]}
        ]
        """);

    public Task DisposeAsync() => Task.CompletedTask;

    private Task CreateAsync(string id, string model, double? temperature = null) =>
        server.SendOkAsync(HttpMethod.Put, $"/digitaltwins/{id}", $$"""{"$metadata":{"$model":"{{model}}"}{{(temperature is { } t ? $",\"temperature\":{t}" : "")}}}""");

    private Task PatchTemperatureAsync(string id, double value) =>
        server.SendOkAsync(HttpMethod.Patch, $"/digitaltwins/{id}", $$"""[{"op":"replace","path":"/temperature","value":{{value}}}]""", "application/json-patch+json");

    private async Task SendReadingAsync(string id, double value, string messageId)
    {
        using var response = await server.SendAsync(HttpMethod.Post, $"/digitaltwins/{id}/telemetry", $$"""{"reading":{{value}}}""", configure: r => r.Headers.Add("Message-Id", messageId));
        Assert.Equal(204, (int)response.StatusCode);
    }

    private Task<SseStream> OpenAsync(string query) => SseStream.OpenAsync(server.Http, query);

    [Fact]
    public async Task Sse_filtered_by_twin_id_sees_create_update_relationship_telemetry_and_delete_in_order()
    {
        var (a, b) = (Id("a"), Id("b"));
        await using var stream = await OpenAsync($"?twinId={a}");
        await CreateAsync(b, Device);
        await CreateAsync(a, Device, 20);
        await PatchTemperatureAsync(a, 60);
        await server.SendOkAsync(HttpMethod.Put, $"/digitaltwins/{a}/relationships/r1", $$"""{"$targetId":"{{b}}","$relationshipName":"feeds"}""");
        await SendReadingAsync(a, 1.5, "m1");
        await server.SendOkAsync(HttpMethod.Delete, $"/digitaltwins/{a}/relationships/r1");
        await server.SendOkAsync(HttpMethod.Delete, $"/digitaltwins/{a}");

        var events = new List<SseEvent>();
        for (var i = 0; i < 6; i++)
        {
            events.Add(await stream.NextAsync());
        }
        Assert.Equal(
            ["Microsoft.DigitalTwins.Twin.Create", "Microsoft.DigitalTwins.Twin.Update", "Microsoft.DigitalTwins.Relationship.Create",
             "microsoft.iot.telemetry", "Microsoft.DigitalTwins.Relationship.Delete", "Microsoft.DigitalTwins.Twin.Delete"],
            events.Select(e => e.Type));
        Assert.All(events, e =>
        {
            var cloudEvent = e.Json;
            Assert.Equal(e.Id, (string?)cloudEvent["id"]);
            Assert.Equal(e.Type, (string?)cloudEvent["type"]);
            Assert.Equal("1.0", (string?)cloudEvent["specversion"]);
            Assert.Equal(Device, (string?)cloudEvent["dataschema"]);
        });
        Assert.Equal(20, (double)events[0].Json["data"]!["temperature"]!);
        Assert.Equal(Device, (string?)events[1].Json["data"]!["modelId"]);
        Assert.Equal("""[{"op":"replace","path":"/temperature","value":60}]""", events[1].Json["data"]!["patch"]!.ToJsonString());
        Assert.Equal($"{a}/relationships/r1", (string?)events[2].Json["subject"]);
        Assert.Equal(b, (string?)events[2].Json["data"]!["$targetId"]);
        Assert.Equal("""{"reading":1.5}""", events[3].Json["data"]!.ToJsonString());
        Assert.Equal(a, (string?)events[5].Json["subject"]);
    }

    [Fact]
    public async Task Sse_filtered_by_model_includes_twins_of_extending_models_and_excludes_others()
    {
        var (device, smart, other, last) = (Id("dev"), Id("smart"), Id("other"), Id("last"));
        await using var stream = await OpenAsync($"?model={Uri.EscapeDataString(Device)}&types=lifecycle");
        await CreateAsync(device, Device, 0);
        await CreateAsync(smart, SmartDevice);
        await CreateAsync(other, Other);
        await PatchTemperatureAsync(device, 1); // an update: not lifecycle
        await CreateAsync(last, Device); // everything before it was either delivered or filtered out

        var subjects = new List<string?>();
        for (var i = 0; i < 3; i++)
        {
            var e = await stream.NextAsync();
            Assert.Equal("Microsoft.DigitalTwins.Twin.Create", e.Type);
            subjects.Add((string?)e.Json["subject"]);
        }
        Assert.Equal([device, smart, last], subjects);
    }

    [Fact]
    public async Task Sse_where_condition_passes_only_twins_that_match_when_the_event_happens()
    {
        var (hot, cold) = (Id("hot"), Id("cold"));
        await using var stream = await OpenAsync($"?twinId={hot},{cold}&types=twin&where={Uri.EscapeDataString("T.temperature > 50")}");
        await CreateAsync(hot, Device, 60);      // passes
        await CreateAsync(cold, Device, 10);     // no
        await PatchTemperatureAsync(cold, 70);   // passes: cold is now 70
        await PatchTemperatureAsync(hot, 20);    // no: hot is now 20
        await server.SendOkAsync(HttpMethod.Delete, $"/digitaltwins/{cold}"); // passes: the deleted document had 70

        var seen = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var e = await stream.NextAsync();
            seen.Add($"{e.Type.Split('.')[^1]} {e.Json["subject"]}");
        }
        Assert.Equal([$"Create {hot}", $"Update {cold}", $"Delete {cold}"], seen);
    }

    [Theory]
    [InlineData("where=T.temperature%20%3E", "SqlQueryError", "at 1:16")]
    [InlineData("where=T.x%20=%201%20ORDER%20BY%20T.x", "SqlQueryError", "WHERE clause alone")]
    [InlineData("types=twins", "InvalidArgument", "'twins'")]
    [InlineData("model=Room", "InvalidArgument", "'Room'")]
    [InlineData("capacity=0", "InvalidArgument", "capacity")]
    public async Task A_bad_filter_is_a_400_in_ADT_error_shape_that_says_why(string query, string code, string hint)
    {
        using var response = await server.Http.GetAsync("/doppel/streams/events?" + query);
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal(code, response.Headers.GetValues("x-ms-error-code").Single());
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal(code, (string?)error["code"]);
        Assert.Contains(hint, (string?)error["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignalR_stream_carries_the_same_cloud_events_and_refuses_a_bad_filter_with_its_message()
    {
        var id = Id("hub");
        await using var connection = new HubConnectionBuilder().WithUrl(new Uri(server.Server.HttpAddress!, "/doppel/hubs/events")).Build();
        await connection.StartAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var items = connection.StreamAsync<JsonElement>("Stream", new StreamFilterRequest(TwinIds: [id]), cts.Token).GetAsyncEnumerator(cts.Token);
        Assert.True(await items.MoveNextAsync());
        Assert.Equal("doppel.stream.subscribed", items.Current.GetProperty("type").GetString());

        await CreateAsync(id, SmartDevice, 5);
        await SendReadingAsync(id, 2.5, "h1");
        Assert.True(await items.MoveNextAsync());
        Assert.Equal("Microsoft.DigitalTwins.Twin.Create", items.Current.GetProperty("type").GetString());
        Assert.Equal(5, items.Current.GetProperty("data").GetProperty("temperature").GetDouble());
        Assert.Equal(SmartDevice, items.Current.GetProperty("dataschema").GetString());
        Assert.True(await items.MoveNextAsync());
        Assert.Equal("microsoft.iot.telemetry", items.Current.GetProperty("type").GetString());
        Assert.Equal(2.5, items.Current.GetProperty("data").GetProperty("reading").GetDouble());
        await cts.CancelAsync();

        var bad = connection.StreamAsync<JsonElement>("Stream", new StreamFilterRequest(Where: "T.temperature >"));
        var error = await Assert.ThrowsAsync<HubException>(async () =>
        {
            await foreach (var _ in bad)
            {
            }
        });
        Assert.Contains("SqlQueryError", error.Message, StringComparison.Ordinal);
        Assert.Contains("at 1:16", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_slow_subscriber_never_slows_writes_and_learns_exactly_how_many_events_it_missed()
    {
        const int Capacity = 3, Patches = 40;
        var id = Id("slow");
        // Two subscribers that read nothing while the writes run: one in-process (buffer counted exactly), one over SSE.
        using var held = server.Server.Runtime.Events.Subscribe(e => e.TwinId == id, Capacity);
        await using var stream = await OpenAsync($"?twinId={id}&capacity=1");

        await CreateAsync(id, Device, 0);
        for (var i = 1; i <= Patches; i++)
        {
            await PatchTemperatureAsync(id, i); // each one acknowledged: nobody waited for the subscribers
        }
        const int Published = Patches + 1;
        Assert.Equal(Published - Capacity, held.Dropped);
        var buffered = new List<string>();
        while (held.Reader.TryRead(out var e))
        {
            buffered.Add(e.Type.Split('.')[^1]);
        }
        Assert.Equal(["Create", "Update", "Update"], buffered); // the oldest are kept

        // The SSE reader now catches up: every event is either delivered or counted in a dropped signal.
        long delivered = 0, dropped = 0;
        while (delivered + dropped < Published)
        {
            var e = await stream.NextAsync();
            if (e.Type == "dropped")
            {
                dropped += (long)e.Json["dropped"]!;
            }
            else
            {
                delivered++;
            }
        }
        Assert.Equal(Published, delivered + dropped);
    }

    [Fact]
    public async Task Watch_prints_one_line_per_event_and_stops_after_count()
    {
        var id = Id("watched");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { DoppelProcess.CliPath, "watch", "--twin", id, "--count", "2", "--server", server.Server.HttpAddress!.ToString() })
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        // The CLI says it is watching once the server has subscribed it; only then are the events made.
        var banner = await process.StandardError.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(1));
        Assert.StartsWith("doppel: watching ", banner);
        var stderr = process.StandardError.ReadToEndAsync();

        await CreateAsync(id, Device, 7);
        await SendReadingAsync(id, 3.5, "w1");
        await CreateAsync(Id("not-watched"), Device);
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));

        Assert.True(process.ExitCode == 0, await stderr);
        var lines = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Matches($@"^\d{{4}}-\d\d-\d\dT\S+Z Microsoft\.DigitalTwins\.Twin\.Create {id} \{{.*""temperature"":7", lines[0]);
        Assert.Matches($@"^\S+Z microsoft\.iot\.telemetry {id} \{{""reading"":3\.5\}}$", lines[1]);
    }
}
