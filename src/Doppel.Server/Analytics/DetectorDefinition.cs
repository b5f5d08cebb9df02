using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Doppel.Analytics.Anomaly;
using Doppel.Rules;

namespace Doppel.Server.Analytics;

/// <summary>
/// A live anomaly detector: which detector runs, on which twins (a model and its subtypes, or a query) and which
/// numeric telemetry property, the score at or above which an alert is raised, and the alert's severity. The score
/// is written as telemetry <c>{property}AnomalyScore</c> of the twin.
/// </summary>
public sealed partial record DetectorDefinition(string Id, string Detector, TwinScope Scope, string Property, double Threshold, AlertSeverity Severity, bool Enabled)
{
    /// <summary>The threshold when the definition gives none: about five robust sigmas for the baselines.</summary>
    public const double DefaultThreshold = 0.9;

    public string ETag { get; init; } = "";

    public DateTimeOffset CreatedTime { get; init; }

    public DateTimeOffset LastUpdatedTime { get; init; }

    /// <summary>The telemetry name the score is written under.</summary>
    public string ScoreName => Property + "AnomalyScore";

    /// <summary>The alert source (the alert's rule id): <c>detector:{id}</c>.</summary>
    public string AlertSource => "detector:" + Id;

    /// <summary>
    /// Reads the API's JSON; every error is <c>DetectorInvalid</c> and names the member. Unknown members are refused.
    /// </summary>
    /// <param name="id">The id from the URL.</param>
    /// <param name="json">The body.</param>
    /// <param name="modelAndSubtypes">The model and its descendants (for scopes).</param>
    /// <param name="modelExists">Whether a model is loaded.</param>
    public static Result<DetectorDefinition> Parse(string id, JsonObject json, Func<string, IReadOnlySet<string>> modelAndSubtypes, Func<string, bool> modelExists)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(modelExists);
        if (!IdPattern().IsMatch(id ?? ""))
        {
            return Invalid($"id: detector id '{id}' must be 1 to 100 letters, digits, '-', '_' or '.', starting with a letter or digit.");
        }
        foreach (var (key, _) in json)
        {
            if (key is not ("id" or "detector" or "scope" or "property" or "scoreProperty" or "threshold" or "severity" or "enabled" or "etag" or "createdTime" or "lastUpdatedTime"))
            {
                return Invalid($"Unknown member '{key}'; a detector has id, detector, scope, property, threshold, severity and enabled.");
            }
        }
        if (json["id"] is JsonValue givenId && (!givenId.TryGetValue<string>(out var bodyId) || bodyId != id))
        {
            return Invalid($"id: the body's id '{givenId}' differs from the URL's '{id}'.");
        }
        var detector = AnomalyDetectors.Default;
        if (json["detector"] is { } d)
        {
            if (d is not JsonValue dv || !dv.TryGetValue<string>(out var name))
            {
                return Invalid($"detector: must be a string, one of {string.Join(", ", AnomalyDetectors.Names)}.");
            }
            var created = AnomalyDetectors.Create(name);
            if (!created.IsSuccess)
            {
                return Invalid($"detector: {created.Error.Message}");
            }
            detector = name;
        }
        if (json["property"] is not JsonValue pv || !pv.TryGetValue<string>(out var property) || !PropertyPattern().IsMatch(property))
        {
            return Invalid("property: required, the name of a numeric telemetry of the twins in scope (letters, digits and '_', starting with a letter).");
        }
        if (json["scope"] is not JsonObject scope || scope.Count != 1 || (scope["model"] is null && scope["query"] is null))
        {
            return Invalid("scope: required, an object with either \"model\" (a DTMI; its subtypes count too) or \"query\" (SELECT * FROM DIGITALTWINS T WHERE ...).");
        }
        TwinScope twins;
        if (scope["model"] is { } m)
        {
            if (m is not JsonValue mv || !mv.TryGetValue<string>(out var model) || !modelExists(model))
            {
                return Invalid($"scope.model: {m.ToJsonString()} is not a model loaded here.");
            }
            twins = TwinScope.OfModel(model, modelAndSubtypes);
        }
        else
        {
            if (scope["query"] is not JsonValue qv || !qv.TryGetValue<string>(out var query))
            {
                return Invalid("scope.query: must be a string, SELECT * FROM DIGITALTWINS T WHERE ...");
            }
            var parsed = TwinScope.OfQuery(query, modelAndSubtypes);
            if (!parsed.IsSuccess)
            {
                return Invalid(parsed.Error.Message);
            }
            twins = parsed.Value;
        }
        var threshold = DefaultThreshold;
        if (json["threshold"] is { } t)
        {
            if (t is not JsonValue tv || !tv.TryGetValue<double>(out threshold) || !(threshold > 0 && threshold <= 1))
            {
                return Invalid($"threshold: {t.ToJsonString()} must be a number in (0, 1]: the anomaly score at or above which an alert is raised.");
            }
        }
        var severity = AlertSeverity.Warning;
        if (json["severity"] is { } s)
        {
            if (s is not JsonValue sv || !sv.TryGetValue<string>(out var text) || AlertSeverities.Find(text) is not { } found)
            {
                return Invalid($"severity: {s.ToJsonString()} is not a severity ({string.Join(", ", Enum.GetValues<AlertSeverity>().Select(v => v.Name()))}).");
            }
            severity = found;
        }
        var enabled = true;
        if (json["enabled"] is { } e && (e is not JsonValue ev || !ev.TryGetValue<bool>(out enabled)))
        {
            return Invalid("enabled: must be true or false.");
        }
        return Result<DetectorDefinition>.Ok(new DetectorDefinition(id!, detector, twins, property, threshold, severity, enabled));
    }

    public JsonObject ToJson() => new()
    {
        ["id"] = Id,
        ["detector"] = Detector,
        ["scope"] = Scope.Model is { } model ? new JsonObject { ["model"] = model } : new JsonObject { ["query"] = Scope.Query },
        ["property"] = Property,
        ["scoreProperty"] = ScoreName,
        ["threshold"] = Threshold,
        ["severity"] = Severity.Name(),
        ["enabled"] = Enabled,
        ["etag"] = ETag,
        ["createdTime"] = CreatedTime.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        ["lastUpdatedTime"] = LastUpdatedTime.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
    };

    private static Result<DetectorDefinition> Invalid(string message) => Result<DetectorDefinition>.Fail("DetectorInvalid", message);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]{0,63}$")]
    private static partial Regex PropertyPattern();
}
