using System.Text.Json.Nodes;

namespace Doppel.Server.Analytics;

/// <summary>A predictor serving the twins of a DTDL model and of its subtypes: a pinned version, or the latest when null.</summary>
public sealed record PredictorAssignment(string Model, int? Version)
{
    public JsonObject ToJson() => new() { ["model"] = Model, ["version"] = Version };
}
