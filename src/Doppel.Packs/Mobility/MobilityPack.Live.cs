using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.Packs.Mobility.Demand;
using Doppel.Packs.Mobility.Live;
using Doppel.Packs.Mobility.Network;

namespace Doppel.Packs.Mobility;

public sealed partial class MobilityPack
{
    /// <summary>The city sample (<c>doppel samples load city</c>) and its demo (<c>doppel demo city</c>).</summary>
    public const string SampleName = "city";

    partial void RegisterLive(PackBuilder pack) => pack
        .AddModels(() => Resource("models.json"))
        .AddSample(new PackSample(SampleName, "A small city of SUMO's: a 4 × 4 grid of two-lane streets with 12 traffic lights, 32 induction loops on the roads into its centre, and a day of traffic with morning and evening peaks.", OpenSample))
        .AddDemo(new CityDemo())
        .AddFollower(LinkFlowFollower.Registration);

    partial void AddLiveVerbs(List<PackVerb> verbs)
    {
        verbs.Add(new PackVerb("twins", "Turns a SUMO network and its detectors into twins (city, roads, intersections, signals, detectors) on a server, or into an import file.", TwinsAsync)
        {
            Arguments = [new VerbArgument("net", "The SUMO network (.net.xml).")],
            Options =
            [
                new VerbOption("add", "A SUMO additional file with the induction loops (inductionLoop or e1Detector) and any tlLogic programs that replace the network's.", VerbValue.Text),
                new VerbOption("routes", "Routes or trips of a typical day (.rou.xml, .trips.xml): the roads' turning fractions and departures come from them.", VerbValue.Text),
                new VerbOption("name", "The city twin's id and name.", VerbValue.Text) { Default = "city" },
                new VerbOption("output", "Writes the twins to this file in the import format (doppel import) instead of sending them to the server.", VerbValue.Text),
            ],
            UsesServer = true,
        });
        verbs.Add(new PackVerb("estimate", "Estimates every road's flow from a recorded day of detector counts, as the live twin does, and scores it against the day's true flows (±10% criterion).", EstimateAsync)
        {
            Options =
            [
                new VerbOption("twins", "The city's twins in the import format (default: the city sample's).", VerbValue.Text),
                new VerbOption("detectors", "SUMO's e1 output of the detectors for the day, plain or .gz (default: the city sample's recorded day).", VerbValue.Text),
                new VerbOption("truth", "SUMO's edgeData output with entered and departed per edge, plain or .gz (default: the city sample's).", VerbValue.Text),
                new VerbOption("members", "Ensemble members of the EnKF.", VerbValue.Number) { Default = "64" },
                new VerbOption("seed", "Seed of the ensemble.", VerbValue.Number) { Default = "16" },
            ],
        });
    }

    private static async Task<VerbResult> TwinsAsync(VerbContext context, CancellationToken ct)
    {
        var netFile = context.Argument("net")!;
        var network = SumoNetworkReader.Read(netFile);
        if (!network.IsSuccess)
        {
            return VerbResult.Usage(network.Error!.Message);
        }
        var additional = new SumoAdditional([], []);
        if (context.Text("add") is { } add)
        {
            var read = SumoAdditionalReader.Read(add, network.Value!);
            if (!read.IsSuccess)
            {
                return VerbResult.Usage(read.Error!.Message);
            }
            additional = read.Value!;
        }
        TrafficDemand? survey = null;
        if (context.Text("routes") is { } routes)
        {
            var read = SumoDemandReader.Read(network.Value!, [routes]);
            if (!read.IsSuccess)
            {
                return VerbResult.Usage(read.Error!.Message);
            }
            survey = read.Value!;
        }
        var twins = CityTwins.Build(context.Text("name") ?? "city", netFile, network.Value!, additional.Detectors, survey, additional.SignalPrograms);
        if (!twins.IsSuccess)
        {
            return VerbResult.Usage(twins.Error!.Message);
        }
        var city = twins.Value!;
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"{city.Twins.Count} twins ({Count(city, CityTwin.RoadModelId)} roads, {Count(city, CityTwin.IntersectionModelId)} intersections, {Count(city, CityTwin.SignalModelId)} signals, {Count(city, CityTwin.DetectorModelId)} detectors) and {city.Relationships.Count} relationships");
        if (context.Text("output") is { } output)
        {
            try
            {
                await File.WriteAllTextAsync(output, city.ToImport(), ct);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                return VerbResult.Failed($"{output}: cannot be written: {e.Message}");
            }
            await context.Out.WriteLineAsync($"{summary} written to {output}.");
            return VerbResult.Ok;
        }
        return await SendAsync(context, city, summary, ct);
    }

    /// <summary>Uploads the models the server lacks, then puts every twin and relationship (an existing one is replaced).</summary>
    private static async Task<VerbResult> SendAsync(VerbContext context, CityTwins city, string summary, CancellationToken ct)
    {
        using var models = JsonDocument.Parse(Resource("models.json"));
        var missing = new JsonArray();
        foreach (var model in models.RootElement.EnumerateArray())
        {
            var id = model.GetProperty("@id").GetString()!;
            var (status, _) = await context.SendAsync(HttpMethod.Get, $"/models/{Uri.EscapeDataString(id)}", null, ct);
            if (status == 404)
            {
                missing.Add(JsonNode.Parse(model.GetRawText()));
            }
        }
        if (missing.Count > 0)
        {
            var (status, body) = await context.SendAsync(HttpMethod.Post, "/models", missing.ToJsonString(), ct);
            if (status is < 200 or >= 300)
            {
                return VerbResult.Failed($"The server refused the city's models ({status}): {ErrorMessage(body)}");
            }
        }
        foreach (var twin in city.Twins)
        {
            var id = (string)twin["$dtId"]!;
            var (status, body) = await context.SendAsync(HttpMethod.Put, $"/digitaltwins/{Uri.EscapeDataString(id)}", twin.ToJsonString(), ct);
            if (status is < 200 or >= 300)
            {
                return VerbResult.Failed($"The server refused twin '{id}' ({status}): {ErrorMessage(body)}");
            }
        }
        foreach (var relationship in city.Relationships)
        {
            var source = (string)relationship["$sourceId"]!;
            var id = (string)relationship["$relationshipId"]!;
            var (status, body) = await context.SendAsync(HttpMethod.Put, $"/digitaltwins/{Uri.EscapeDataString(source)}/relationships/{Uri.EscapeDataString(id)}", relationship.ToJsonString(), ct);
            if (status is < 200 or >= 300)
            {
                return VerbResult.Failed($"The server refused relationship '{id}' of '{source}' ({status}): {ErrorMessage(body)}");
            }
        }
        await context.Out.WriteLineAsync($"{summary} put on {context.Server}.");
        return VerbResult.Ok;
    }

    private static async Task<VerbResult> EstimateAsync(VerbContext context, CancellationToken ct)
    {
        var members = context.Number("members") ?? 64;
        var seed = context.Number("seed") ?? 16;
        if (members is < 2 or > 10000 || members != Math.Floor(members) || seed < 0 || seed != Math.Floor(seed))
        {
            return VerbResult.Usage($"--members must be a whole number from 2 to 10000 (got {members}) and --seed a whole number ≥ 0 (got {seed}).");
        }
        var sample = context.Text("twins") is { } twinsFile ? ReadImport(twinsFile) : new PackSample(SampleName, "", OpenSample).Read();
        if (!sample.IsSuccess)
        {
            return VerbResult.Usage(sample.Error!.Message);
        }
        var recording = context.Text("detectors") is { } detectors ? DetectorRecording.Read(detectors) : DetectorRecording.Read(Resource("city.det.out.xml.gz"), "the city sample's detectors");
        var truth = context.Text("truth") is { } truthFile ? EdgeCounts.Read(truthFile) : EdgeCounts.Read(Resource("city.edgedata.xml.gz"), "the city sample's edge counts");
        if (!recording.IsSuccess || !truth.IsSuccess)
        {
            return VerbResult.Usage((recording.Error ?? truth.Error)!.Message);
        }
        var options = new LinkFlowOptions { Members = (int)members, Seed = (ulong)seed };
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var score = await Task.Run(() => LinkFlowReplay.Score(sample.Value!.Twins, sample.Value.Relationships, recording.Value!, truth.Value!, options), ct);
        if (!score.IsSuccess)
        {
            return VerbResult.Usage(score.Error!.Message);
        }
        var s = score.Value!;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Link flows estimated from {s.ObservedRoads} counted roads for all {s.Roads} roads over {s.Periods} periods (EnKF, {options.Members} members, seed {options.Seed}) in {System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s.\n");
        text.Append(CultureInfo.InvariantCulture, $"Hourly volumes against the true flows (cells of at least {s.MinimumVolume:F0} vehicles):\n");
        text.Append("  roads        cells  within ±10%   WAPE   worst day\n");
        foreach (var (name, part) in new[] { ("counted", s.Observed), ("not counted", s.Unobserved), ("all", s.All) })
        {
            text.Append(CultureInfo.InvariantCulture, $"  {name,-11} {part.Cells,6}  {part.Within10,10:P1}  {part.Wape,6:P1}  {part.WorstDay,9:P1}\n");
        }
        text.Append(CultureInfo.InvariantCulture, $"Day volumes within ±10%: {s.DayWithin10:P1} of the roads. 90% intervals held the period's true count {s.IntervalCoverage:P1} of the time.\n");
        text.Append(s.Passes ? "Criterion met" : "Criterion NOT met").Append(": counted roads' day volumes within ±10% of the counts and their hourly WAPE ≤ 10%; hourly WAPE over all roads ≤ 10%.\n");
        await context.Out.WriteAsync(text.ToString());
        return s.Passes ? VerbResult.Ok : VerbResult.Failed("The link-flow estimate missed the ±10% criterion.");
    }

    private static Result<SampleContent> ReadImport(string path)
    {
        try
        {
            var text = File.ReadAllText(path);
            return new PackSample(Path.GetFileName(path), "", () => new MemoryStream(Encoding.UTF8.GetBytes(text))).Read();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return Result<SampleContent>.Fail("InvalidArgument", $"{path}: cannot be read: {e.Message}");
        }
    }

    private static int Count(CityTwins city, string model) => city.Twins.Count(t => (string?)t["$metadata"]!["$model"] == model);

    private static string ErrorMessage(JsonNode? body) => (string?)body?["error"]?["message"] ?? body?.ToJsonString() ?? "no details";

    /// <summary>The sample in the import format: the pack's models (models.json, whole), then the twins and relationships.</summary>
    private static Stream OpenSample()
    {
        using var models = new StreamReader(Resource("models.json"), Encoding.UTF8);
        using var twins = new StreamReader(Resource("twins.ndjson"), Encoding.UTF8);
        var text = new StringBuilder();
        text.Append("{\"Section\":\"Header\"}\n{\"fileVersion\":\"1.0.0\",\"author\":\"Doppel samples\",\"organization\":\"Doppel\"}\n{\"Section\":\"Models\"}\n");
        using (var document = JsonDocument.Parse(models.ReadToEnd()))
        {
            foreach (var model in document.RootElement.EnumerateArray())
            {
                text.Append(model.GetRawText().ReplaceLineEndings(" ")).Append('\n');
            }
        }
        // The twins file is doppel traffic twins' output: its own header is skipped, its sections kept.
        foreach (var line in twins.ReadToEnd().Split('\n'))
        {
            if (line.Length > 0 && !line.Contains("\"Header\"", StringComparison.Ordinal) && !line.StartsWith("{\"fileVersion\"", StringComparison.Ordinal))
            {
                text.Append(line).Append('\n');
            }
        }
        return new MemoryStream(Encoding.UTF8.GetBytes(text.ToString()));
    }

    /// <summary>A file the mobility pack carries in its assembly (samples/city's models, network, detectors, twins and recorded day).</summary>
    internal static Stream Resource(string name) =>
        typeof(MobilityPack).Assembly.GetManifestResourceStream($"Doppel.Packs.Mobility.{name}")
        ?? throw new InvalidOperationException($"The mobility pack's {name} is not embedded in its assembly.");
}
