using System.Globalization;
using System.Text.Json.Nodes;
using Doppel.Analytics.Rul;
using Doppel.Modeling;
using Doppel.Server.Runtime;

namespace Doppel.Server.Analytics.Internal;

/// <summary>Reads the bodies of <c>/doppel/predictors</c> requests: each error names the member and what it should be.</summary>
internal static class PredictorRequests
{
    private static readonly string[] Kinds = ["gbt", "sequence", "ensemble"];
    private static readonly string[] TrainKeys = ["kind", "seed", "coverage", "cap", "sensors", "settings", "data", "history"];
    private static readonly string[] EvaluateKeys = ["version", "data", "truth", "history"];
    private static readonly string[] DataKeys = ["format", "text", "name"];
    private static readonly string[] HistoryKeys = ["model", "from", "to", "channels"];
    private static readonly DateTimeOffset Earliest = new(1900, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A training request: options plus a data file or a history range.</summary>
    public static Result<PredictorTrainingRequest> Train(JsonObject body, TwinRuntime runtime)
    {
        if (Unknown(body, TrainKeys, "") is { } unknown)
        {
            return unknown;
        }
        var options = new RulTrainingOptions();
        try
        {
            if (body["kind"] is { } kindNode)
            {
                var kind = Text(kindNode, "kind");
                if (!Kinds.Contains(kind))
                {
                    return Invalid($"kind: '{kind}' is not a predictor kind; use one of {string.Join(", ", Kinds)}.");
                }
                options = options with { Kind = kind };
            }
            if (body["seed"] is { } seed)
            {
                options = options with { Seed = Integer(seed, "seed") };
            }
            if (body["coverage"] is { } coverageNode)
            {
                var coverage = Number(coverageNode, "coverage");
                if (coverage is <= 0 or >= 1)
                {
                    return Invalid($"coverage: {coverage.ToString(CultureInfo.InvariantCulture)} is not a probability between 0 and 1 (exclusive), e.g. 0.9 for 90% intervals.");
                }
                options = options with { Coverage = coverage };
            }
            if (body["cap"] is { } capNode)
            {
                var cap = Integer(capNode, "cap");
                if (cap <= 0)
                {
                    return Invalid($"cap: {cap} must be a positive number of cycles.");
                }
                options = options with { Cap = cap };
            }
            if (body["sensors"] is { } sensors)
            {
                options = options with { Sensors = Strings(sensors, "sensors") };
            }
            if (body["settings"] is { } settings)
            {
                options = options with { Settings = Strings(settings, "settings") };
            }
        }
        catch (RequestException e)
        {
            return Invalid(e.Message);
        }
        var source = Source(body, runtime);
        if (!source.IsSuccess)
        {
            return source.Error;
        }
        var (units, name, history) = source.Value;
        var channels = units?[0].Channels ?? history!.Channels;
        foreach (var (list, what) in new[] { (options.Sensors, "sensors"), (options.Settings, "settings") })
        {
            if (list?.FirstOrDefault(c => !channels.Contains(c)) is { } missing)
            {
                return Invalid($"{what}: '{missing}' is not a channel of the data{(NearestName.Find(missing, channels) is { } near ? $"; did you mean '{near}'?" : $" ({string.Join(", ", channels)})")}.");
            }
        }
        return Result<PredictorTrainingRequest>.Ok(new PredictorTrainingRequest(options, name)
        {
            Units = units,
            HistoryModel = history?.Model,
            From = history?.From,
            To = history?.To,
            Channels = history?.Channels ?? [],
        });
    }

    /// <summary>An evaluation request: the version (latest when absent) and test trajectories with their true RULs.</summary>
    public static Result<(int? Version, string Source, HistorySource? History, IReadOnlyList<Trajectory>? Units, IReadOnlyList<double>? Truth)> Evaluate(JsonObject body, TwinRuntime runtime)
    {
        if (Unknown(body, EvaluateKeys, "") is { } unknown)
        {
            return unknown;
        }
        int? version = null;
        IReadOnlyList<double>? truth = null;
        try
        {
            if (body["version"] is { } v)
            {
                version = Integer(v, "version");
            }
            if (body["truth"] is { } truthNode)
            {
                if (body["history"] is not null)
                {
                    return Invalid("truth: a history range is run to failure (the truth is 0 at each twin's last row); give truth with data only.");
                }
                var read = CmapssData.ReadTruth(new StringReader(Text(truthNode, "truth")), "truth");
                if (!read.IsSuccess)
                {
                    return read.Error;
                }
                truth = read.Value;
            }
        }
        catch (RequestException e)
        {
            return Invalid(e.Message);
        }
        var source = Source(body, runtime);
        if (!source.IsSuccess)
        {
            return source.Error;
        }
        var (units, name, history) = source.Value;
        if (units is not null)
        {
            truth ??= [.. units.Select(_ => 0.0)];
            if (truth.Count != units.Count)
            {
                return Invalid($"truth: {truth.Count} value(s) for {units.Count} unit(s) in {name}; give one true RUL per unit, in the units' order.");
            }
        }
        return Result<(int?, string, HistorySource?, IReadOnlyList<Trajectory>?, IReadOnlyList<double>?)>.Ok((version, name, history, units, truth));
    }

    /// <summary>The assignment body: <c>{}</c> (the latest version) or <c>{"version": n}</c>.</summary>
    public static Result<int?> Assignment(JsonObject body)
    {
        if (Unknown(body, ["version"], "") is { } unknown)
        {
            return unknown;
        }
        try
        {
            return Result<int?>.Ok(body["version"] is { } v ? Integer(v, "version") : null);
        }
        catch (RequestException e)
        {
            return Invalid(e.Message);
        }
    }

    /// <summary>A trajectory's columns in the order a predictor reads them; an error names the channels the data lacks.</summary>
    public static Result<IReadOnlyList<Trajectory>> Project(IReadOnlyList<Trajectory> units, IReadOnlyList<string> channels, string source)
    {
        var result = new List<Trajectory>(units.Count);
        foreach (var unit in units)
        {
            var columns = unit.Channels.ToList();
            var index = channels.Select(c => columns.IndexOf(c)).ToArray();
            if (index.Contains(-1))
            {
                return Result<IReadOnlyList<Trajectory>>.Fail("InvalidArgument",
                    $"{source} lacks the channel(s) {string.Join(", ", channels.Where((_, i) => index[i] < 0))} that the predictor reads.");
            }
            result.Add(new Trajectory(unit.Unit, channels, [.. unit.Rows.Select(row => index.Select(i => row[i]).ToArray())]));
        }
        return Result<IReadOnlyList<Trajectory>>.Ok(result);
    }

    /// <summary>A history range of a model's twins.</summary>
    public sealed record HistorySource(Dtmi Model, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<string> Channels);

    private static Result<(IReadOnlyList<Trajectory>? Units, string Source, HistorySource? History)> Source(JsonObject body, TwinRuntime runtime)
    {
        var data = body["data"];
        var history = body["history"];
        if ((data is null) == (history is null))
        {
            return Invalid("Give either \"data\": {\"format\": \"cmapss\" | \"csv\", \"text\": ...} or \"history\": {\"model\": ..., \"from\": ..., \"to\": ...}, and not both.");
        }
        try
        {
            if (data is not null)
            {
                var file = data as JsonObject ?? throw new RequestException("data: must be an object {\"format\", \"text\", \"name\"}.");
                if (Unknown(file, DataKeys, "data") is { } unknown)
                {
                    return unknown;
                }
                var name = file["name"] is { } n ? Text(n, "data.name") : null;
                var format = file["format"] is { } f ? Text(f, "data.format") : TrainingData.FormatOf(name ?? "");
                var text = file["text"] is { } t ? Text(t, "data.text") : throw new RequestException("data.text: the file's text is missing.");
                var source = $"file {name ?? "(uploaded " + format + ")"}";
                var read = TrainingData.Read(format, text, source);
                return read.IsSuccess ? Result<(IReadOnlyList<Trajectory>?, string, HistorySource?)>.Ok((read.Value, source, null)) : read.Error;
            }
            var range = history as JsonObject ?? throw new RequestException("history: must be an object {\"model\", \"from\", \"to\"}.");
            if (Unknown(range, HistoryKeys, "history") is { } unknownKey)
            {
                return unknownKey;
            }
            var modelId = range["model"] is { } m ? Text(m, "history.model") : throw new RequestException("history.model: the DTDL model whose twins' history to read is missing.");
            if (runtime.Models.Get(new Dtmi(modelId)) is not { } model)
            {
                return Invalid($"history.model: there is no model '{modelId}'.");
            }
            var from = range["from"] is { } fromNode ? Time(fromNode, "history.from") : Earliest;
            var to = range["to"] is { } toNode ? Time(toNode, "history.to") : runtime.Time.GetUtcNow();
            if (from >= to)
            {
                return Invalid($"history: 'from' ({from:O}) must be before 'to' ({to:O}).");
            }
            var numeric = model.Model.Telemetries
                .Where(t => t.Schema is PrimitiveSchema { Kind: PrimitiveKind.Double or PrimitiveKind.Float or PrimitiveKind.Integer or PrimitiveKind.Long })
                .Select(t => t.Name).Order(StringComparer.Ordinal).ToList();
            IReadOnlyList<string> channels = range["channels"] is { } c ? Strings(c, "history.channels") : numeric;
            if (channels.FirstOrDefault(ch => !numeric.Contains(ch)) is { } notTelemetry)
            {
                return Invalid($"history.channels: '{notTelemetry}' is not numeric telemetry of '{modelId}'{(NearestName.Find(notTelemetry, numeric) is { } near ? $"; did you mean '{near}'?" : ".")}");
            }
            if (channels.Count == 0)
            {
                return Invalid($"history: model '{modelId}' has no numeric telemetry to learn from.");
            }
            return Result<(IReadOnlyList<Trajectory>?, string, HistorySource?)>.Ok((null, $"history {modelId}", new HistorySource(model.Model.Id, from, to, channels)));
        }
        catch (RequestException e)
        {
            return Invalid(e.Message);
        }
    }

    private static DoppelError? Unknown(JsonObject json, IReadOnlyCollection<string> keys, string where)
    {
        foreach (var (key, _) in json)
        {
            if (!keys.Contains(key))
            {
                return new DoppelError("InvalidArgument", NearestName.UnknownKey(where, key, keys));
            }
        }
        return null;
    }

    private static string Text(JsonNode node, string what) =>
        node is JsonValue v && v.TryGetValue<string>(out var text) ? text : throw new RequestException($"{what}: must be a string.");

    private static int Integer(JsonNode node, string what) =>
        node is JsonValue v && v.TryGetValue<double>(out var number) && number == Math.Floor(number) && number is >= int.MinValue and <= int.MaxValue
            ? (int)number : throw new RequestException($"{what}: must be an integer.");

    private static double Number(JsonNode node, string what) =>
        node is JsonValue v && v.TryGetValue<double>(out var number) ? number : throw new RequestException($"{what}: must be a number.");

    private static string[] Strings(JsonNode node, string what) =>
        node is JsonArray array && array.All(n => n is JsonValue v && v.TryGetValue<string>(out _))
            ? [.. array.Select(n => (string)n!)] : throw new RequestException($"{what}: must be an array of channel names.");

    private static DateTimeOffset Time(JsonNode node, string what) =>
        node is JsonValue v && v.TryGetValue<string>(out var text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time : throw new RequestException($"{what}: must be an RFC 3339 date-time such as 2026-03-01T00:00:00Z.");

    private static DoppelError Invalid(string message) => new("InvalidArgument", message);

    /// <summary>A member of the body is wrong; caught here and answered as a 400.</summary>
    private sealed class RequestException(string message) : Exception(message);
}
