using System.Globalization;
using System.Text.Json.Nodes;

namespace Doppel.Server.Analytics;

/// <summary>What a predictor version was trained on: its data's source and size, the history range, the seed and how long it took.</summary>
/// <param name="Source">"file train_FD001.txt", "history dtmi:...;1", or "upload" for a file trained elsewhere.</param>
/// <param name="Units">Run-to-failure trajectories (C-MAPSS units, or twins).</param>
/// <param name="Rows">Rows (cycles) over all units.</param>
/// <param name="From">Start of the history range read, when trained on history.</param>
/// <param name="To">End of the history range read, when trained on history.</param>
/// <param name="Seed">The training seed, when known.</param>
/// <param name="DurationMs">Training time, when known.</param>
public sealed record TrainingSummary(string Source, int? Units, long? Rows, DateTimeOffset? From, DateTimeOffset? To, int? Seed, double? DurationMs)
{
    public JsonObject ToJson() => new()
    {
        ["source"] = Source,
        ["units"] = Units,
        ["rows"] = Rows,
        ["from"] = From?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        ["to"] = To?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        ["seed"] = Seed,
        ["durationMs"] = DurationMs is { } ms ? Math.Round(ms, 1) : null,
    };

    /// <summary>Reads the shape <see cref="ToJson"/> writes; members it does not know are ignored, missing ones are null.</summary>
    public static TrainingSummary FromJson(JsonObject json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return new TrainingSummary(
            (string?)json["source"] ?? "upload",
            (int?)json["units"],
            (long?)json["rows"],
            Time(json["from"]),
            Time(json["to"]),
            (int?)json["seed"],
            (double?)json["durationMs"]);
    }

    private static DateTimeOffset? Time(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;
}
