using System.Globalization;
using System.Text.Json.Nodes;
using Doppel.Analytics.Rul;

namespace Doppel.Server.Analytics;

/// <summary>
/// One stored version of a predictor: what the registry keeps beside its file (<c>v{n}.json</c> beside <c>v{n}.bin</c>),
/// which is what <c>/doppel/predictors</c> shows.
/// </summary>
/// <param name="Name">The predictor's name (lower case, digits, dashes).</param>
/// <param name="Version">1, 2, ...: every train or upload adds one.</param>
/// <param name="Kind">The model family ("gbt", "sequence", "ensemble").</param>
/// <param name="Target">What it predicts: "rul".</param>
/// <param name="CreatedTime">When the version was stored.</param>
/// <param name="ETag">Changes with every version.</param>
/// <param name="Training">What it was trained on.</param>
/// <param name="Validation">Its metrics on the validation units held out in training.</param>
/// <param name="Channels">The inputs it reads, in order: telemetry names of the twins it serves.</param>
/// <param name="Window">How many of the newest rows it reads.</param>
/// <param name="Features">The features it computes from the window.</param>
/// <param name="HyperParameters">What training chose (the predictor's own description).</param>
/// <param name="Bytes">The size of its file.</param>
/// <param name="Sha256">The file's SHA-256 (hex), checked when it is loaded so a damaged file is refused, not run.</param>
public sealed record PredictorVersion(
    string Name,
    int Version,
    string Kind,
    string Target,
    DateTimeOffset CreatedTime,
    string ETag,
    TrainingSummary Training,
    RulMetrics Validation,
    IReadOnlyList<string> Channels,
    int Window,
    IReadOnlyList<string> Features,
    JsonObject HyperParameters,
    long Bytes,
    string Sha256)
{
    /// <summary>"engines@3": how predictions name the version that made them (the <c>rulPredictor</c> property).</summary>
    public string Label => $"{Name}@{Version}";

    public JsonObject ToJson() => new()
    {
        ["name"] = Name,
        ["version"] = Version,
        ["kind"] = Kind,
        ["target"] = Target,
        ["createdTime"] = CreatedTime.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        ["etag"] = ETag,
        ["training"] = Training.ToJson(),
        ["metrics"] = new JsonObject { ["validation"] = MetricsJson(Validation) },
        ["channels"] = new JsonArray([.. Channels.Select(c => (JsonNode)c)]),
        ["window"] = Window,
        ["features"] = new JsonArray([.. Features.Select(f => (JsonNode)f)]),
        ["hyperParameters"] = HyperParameters.DeepClone(),
        ["file"] = new JsonObject { ["bytes"] = Bytes, ["sha256"] = Sha256 },
    };

    /// <summary>RMSE, NASA score, interval coverage and units, rounded for reading.</summary>
    public static JsonObject MetricsJson(RulMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return new JsonObject
        {
            ["rmse"] = Finite(Math.Round(metrics.Rmse, 4)),
            ["score"] = Finite(Math.Round(metrics.Score, 4)),
            ["coverage"] = Finite(Math.Round(metrics.Coverage, 4)),
            ["units"] = metrics.Units,
        };
    }

    /// <summary>Reads a stored <c>v{n}.json</c>; a document that is not one comes back as an error naming what is wrong.</summary>
    public static Result<PredictorVersion> FromJson(JsonObject json, string where)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            var validation = json["metrics"]?["validation"] as JsonObject;
            return Result<PredictorVersion>.Ok(new PredictorVersion(
                Required<string>(json, "name"),
                Required<int>(json, "version"),
                Required<string>(json, "kind"),
                (string?)json["target"] ?? "rul",
                DateTimeOffset.Parse(Required<string>(json, "createdTime"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                Required<string>(json, "etag"),
                json["training"] is JsonObject training ? TrainingSummary.FromJson(training) : new TrainingSummary("upload", null, null, null, null, null, null),
                new RulMetrics(
                    (double?)validation?["rmse"] ?? double.NaN,
                    (double?)validation?["score"] ?? double.NaN,
                    (double?)validation?["coverage"] ?? double.NaN,
                    (int?)validation?["units"] ?? 0),
                Strings(json, "channels"),
                Required<int>(json, "window"),
                Strings(json, "features"),
                json["hyperParameters"] as JsonObject is { } hyper ? hyper.DeepClone().AsObject() : [],
                (long?)json["file"]?["bytes"] ?? 0,
                (string?)json["file"]?["sha256"] ?? ""));
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or InvalidDataException)
        {
            return Result<PredictorVersion>.Fail("InvalidArgument", $"{where}: {e.Message}");
        }
    }

    private static T Required<T>(JsonObject json, string name) =>
        json[name] is JsonValue value && value.TryGetValue<T>(out var result) ? result : throw new InvalidDataException($"'{name}' is missing or is not a {typeof(T).Name}.");

    private static string[] Strings(JsonObject json, string name) =>
        json[name] is JsonArray array ? [.. array.Select(n => (string?)n ?? throw new InvalidDataException($"'{name}' holds a null."))] : throw new InvalidDataException($"'{name}' is missing or is not an array.");

    private static JsonNode? Finite(double value) => double.IsFinite(value) ? JsonValue.Create(value) : null;
}
