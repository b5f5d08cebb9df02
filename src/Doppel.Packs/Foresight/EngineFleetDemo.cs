using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.Analytics.Rul;
using Doppel.Packs.Foresight.Internal;
using Doppel.Twins;

namespace Doppel.Packs.Foresight;

/// <summary>
/// <c>doppel demo engines</c>: the sample fleet made live. Each engine twin is a device replaying its C-MAPSS FD001
/// test trajectory over MQTT, one operating cycle per message at <see cref="DemoContext.Speed"/> cycles a second, while
/// the predictor <c>engines</c> (trained on FD001's training units through the server's predictor API the first time,
/// reused after) is assigned to the turbofan model, so that every engine's remaining life and interval follow its
/// cycles on its twin, in history and on the console's fleet page. A restarted demo resumes each engine after the last
/// cycle history holds; an engine at the end of its trajectory stays there (grounded for its service).
/// </summary>
public sealed class EngineFleetDemo : IPackDemo
{
    /// <summary>The predictor the demo trains and assigns.</summary>
    public const string PredictorName = "engines";

    public string Name => ForesightPack.SampleName;

    public string Description => "The 100-engine fleet live: C-MAPSS FD001 test trajectories replayed over MQTT, a RUL predictor trained and assigned, each engine's remaining life and interval on its twin.";

    public string Sample => ForesightPack.SampleName;

    public bool IsDefault => false;

    public Task<Result<DemoSession>> StartAsync(DemoContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var read = ReadTrajectories();
        if (!read.IsSuccess)
        {
            return Task.FromResult(Result<DemoSession>.Fail(read.Error));
        }
        var engines = Engines(context.Graph, read.Value);
        if (engines.Count == 0)
        {
            return Task.FromResult(Result<DemoSession>.Fail("InvalidArgument", $"No {Turbofan.ModelId} twin has the serial of a C-MAPSS FD001 test unit (FD001-test-NNN): load the sample '{ForesightPack.SampleName}'."));
        }
        var fleet = context.Graph.Twins.FirstOrDefault(t => t.Model.Value == Turbofan.FleetModelId)?.Id ?? "fleet-1";
        var session = new DemoSession(
            string.Create(CultureInfo.InvariantCulture, $"the engine fleet ({engines.Count} C-MAPSS FD001 engines, {context.Speed:G} cycles a second each) is live; the predictor '{PredictorName}' writes each engine's rul, rulLower and rulUpper (trained on FD001 the first time, which takes a few minutes)."),
            [
                ["query", $"SELECT $dtId, rul, rulLower, rulUpper FROM DIGITALTWINS WHERE IS_OF_MODEL('{Turbofan.ModelId}') AND rulLower < 30"],
                ["watch", "--twin", engines[0].TwinId],
                ["predict", "list"],
                ["simulate", "--twin", fleet],
            ],
            async token =>
            {
                using var http = new HttpClient { BaseAddress = context.Server, Timeout = TimeSpan.FromMinutes(2) };
                var predictor = new PredictorSetup(http, context.Time).EnsureAssignedAsync(PredictorName, Turbofan.ModelId, TrainingText, token);
                var replay = ReplayAsync(context, http, engines, token);
                // A predictor that cannot be set up ends the demo at once, with why.
                await await Task.WhenAny(predictor, replay);
                await Task.WhenAll(predictor, replay);
                // Every engine has reached the end of its trajectory: the fleet stays as it is until the demo is stopped.
                await Task.Delay(System.Threading.Timeout.InfiniteTimeSpan, context.Time, token);
            });
        return Task.FromResult(Result<DemoSession>.Ok(session));
    }

    /// <summary>FD001's test trajectories, shipped in the pack (samples/engines/test_FD001.txt.gz).</summary>
    public static Result<IReadOnlyList<Trajectory>> ReadTrajectories()
    {
        using var reader = new StreamReader(new GZipStream(ForesightPack.Resource("test_FD001.txt.gz"), CompressionMode.Decompress));
        return CmapssData.Read(reader, "test_FD001.txt");
    }

    /// <summary>FD001's training trajectories as text, shipped in the pack (samples/engines/train_FD001.txt.gz).</summary>
    private static string TrainingText()
    {
        using var reader = new StreamReader(new GZipStream(ForesightPack.Resource("train_FD001.txt.gz"), CompressionMode.Decompress));
        return reader.ReadToEnd();
    }

    /// <summary>The engine twins and the trajectory each replays, matched by serial (<c>FD001-test-007</c> replays unit 7).</summary>
    private static List<EngineReplay> Engines(TwinGraph graph, IReadOnlyList<Trajectory> trajectories)
    {
        var units = trajectories.ToDictionary(t => t.Unit, StringComparer.Ordinal);
        var engines = new List<EngineReplay>();
        foreach (var twin in graph.Twins.Where(t => t.Model.Value == Turbofan.ModelId).OrderBy(t => t.Id, StringComparer.Ordinal))
        {
            if (twin.TryGetProperty("serial", out var serial) && serial.ValueKind == JsonValueKind.String
                && serial.GetString() is { } text && text.StartsWith("FD001-test-", StringComparison.Ordinal)
                && int.TryParse(text["FD001-test-".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var unit)
                && units.TryGetValue(unit.ToString(CultureInfo.InvariantCulture), out var trajectory))
            {
                engines.Add(new EngineReplay(twin.Id, trajectory));
            }
        }
        return engines;
    }

    /// <summary>Every engine publishes its cycles on its own link, the engines staggered over one cycle's interval so the load is even.</summary>
    private static async Task ReplayAsync(DemoContext context, HttpClient http, IReadOnlyList<EngineReplay> engines, CancellationToken ct)
    {
        var interval = TimeSpan.FromSeconds(1 / context.Speed);
        var resume = await Task.WhenAll(engines.Select(e => LastCycleAsync(http, e.TwinId, context.Time.GetUtcNow(), ct)));
        await Task.WhenAll(engines.Select((engine, i) => ReplayAsync(context, engine, resume[i], interval, interval * i / engines.Count, ct)));
    }

    private static async Task ReplayAsync(DemoContext context, EngineReplay engine, int after, TimeSpan interval, TimeSpan offset, CancellationToken ct)
    {
        var rows = engine.Trajectory.Rows;
        var start = Array.FindIndex(rows, r => r[0] > after);
        if (start < 0)
        {
            return;
        }
        await using var link = await context.ConnectAsync(engine.TwinId, ct);
        await Task.Delay(offset, context.Time, ct);
        using var timer = new PeriodicTimer(interval, context.Time);
        var channels = engine.Trajectory.Channels;
        for (var r = start; r < rows.Length; r++)
        {
            var cycle = (int)rows[r][0];
            var payload = new JsonObject { [Turbofan.Cycle] = cycle, ["$messageId"] = $"{engine.TwinId}-{cycle}" };
            for (var c = 1; c < channels.Count; c++)
            {
                payload[channels[c]] = rows[r][c];
            }
            await link.PublishAsync(engine.TwinId, DeviceMessageKind.Telemetry, payload, ct);
            if (r < rows.Length - 1)
            {
                await timer.WaitForNextTickAsync(ct);
            }
        }
    }

    /// <summary>The last cycle history holds for the engine (0 when none): a restarted demo goes on from there.</summary>
    private static async Task<int> LastCycleAsync(HttpClient http, string twinId, DateTimeOffset now, CancellationToken ct)
    {
        using var response = await http.GetAsync($"doppel/history/twins/{Uri.EscapeDataString(twinId)}/at?names={Turbofan.Cycle}&time={Uri.EscapeDataString(now.ToString("O", CultureInfo.InvariantCulture))}", ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Reading where {twinId} stopped: {await PredictorSetup.ErrorAsync(response, ct)}");
        }
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct));
        return body?["value"] is JsonArray { Count: > 0 } points && points[0]?["value"] is JsonValue value && value.TryGetValue<double>(out var cycle) ? (int)cycle : 0;
    }

    private sealed record EngineReplay(string TwinId, Trajectory Trajectory);
}
