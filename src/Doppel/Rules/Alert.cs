using System.Globalization;
using System.Text.Json.Nodes;

namespace Doppel.Rules;

/// <summary>
/// One alert: a rule's condition held on one twin. At most one alert per rule and twin is open (raised or acknowledged)
/// at a time; every change of state is kept in <see cref="Transitions"/>.
/// </summary>
/// <param name="Id">Unique, sorting by raise time (a version 7 GUID).</param>
/// <param name="RuleId">The rule that raised it.</param>
/// <param name="TwinId">The twin it is about.</param>
/// <param name="Severity">The rule's severity when it was raised.</param>
/// <param name="State">Where it is in its lifecycle.</param>
/// <param name="Message">The rule's message template filled in for the twin.</param>
/// <param name="Value">The value that raised it (the left side of the condition's first comparison), when there is one.</param>
/// <param name="RaisedTime">When it was raised.</param>
public sealed record Alert(string Id, string RuleId, string TwinId, AlertSeverity Severity, AlertState State, string Message, JsonNode? Value, DateTimeOffset RaisedTime)
{
    /// <summary>Who acknowledged it, when and why; null until then.</summary>
    public AlertAcknowledgement? Acknowledged { get; init; }

    /// <summary>How it was resolved; null while open.</summary>
    public AlertResolution? Resolved { get; init; }

    /// <summary>Every change of state, oldest first.</summary>
    public IReadOnlyList<AlertTransition> Transitions { get; init; } = [];

    /// <summary>True while raised or acknowledged.</summary>
    public bool IsOpen => State != AlertState.Resolved;

    /// <summary>The alert with one more transition.</summary>
    public Alert With(AlertTransition transition) => this with { Transitions = [.. Transitions, transition] };

    /// <summary>The API's JSON shape; with <paramref name="transitions"/> the history of states too.</summary>
    public JsonObject ToJson(bool transitions = false)
    {
        var json = new JsonObject
        {
            ["id"] = Id,
            ["ruleId"] = RuleId,
            ["twinId"] = TwinId,
            ["severity"] = Severity.Name(),
            ["state"] = State.Name(),
            ["message"] = Message,
            ["value"] = Value?.DeepClone(),
            ["raisedTime"] = Time(RaisedTime),
            ["acknowledged"] = Acknowledged is { } a ? new JsonObject { ["by"] = a.By, ["time"] = Time(a.Time), ["note"] = a.Note } : null,
            ["resolved"] = Resolved is { } r ? new JsonObject { ["by"] = r.By, ["time"] = Time(r.Time), ["reason"] = r.Reason, ["note"] = r.Note } : null,
        };
        if (transitions)
        {
            json["transitions"] = new JsonArray([.. Transitions.Select(t => (JsonNode)t.ToJson())]);
        }
        return json;
    }

    /// <summary>Reads the JSON <see cref="ToJson"/> wrote with its transitions (the stored form).</summary>
    public static Alert FromJson(JsonObject json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var acknowledged = json["acknowledged"] as JsonObject;
        var resolved = json["resolved"] as JsonObject;
        return new Alert(
            (string)json["id"]!, (string)json["ruleId"]!, (string)json["twinId"]!, AlertSeverities.Find((string?)json["severity"]) ?? AlertSeverity.Info,
            AlertStates.Find((string?)json["state"]) ?? AlertState.Raised, (string?)json["message"] ?? "", json["value"]?.DeepClone(), Parse(json["raisedTime"]))
        {
            Acknowledged = acknowledged is null ? null : new AlertAcknowledgement((string?)acknowledged["by"] ?? "", Parse(acknowledged["time"]), (string?)acknowledged["note"]),
            Resolved = resolved is null ? null : new AlertResolution((string?)resolved["by"], Parse(resolved["time"]), (string?)resolved["reason"] ?? AlertResolution.Manual, (string?)resolved["note"]),
            Transitions = json["transitions"] is JsonArray list ? [.. list.OfType<JsonObject>().Select(AlertTransition.FromJson)] : [],
        };
    }

    internal static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    internal static DateTimeOffset Parse(JsonNode? node) => DateTimeOffset.Parse((string)node!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}

/// <summary>Who acknowledged an alert, when, and what they noted.</summary>
public sealed record AlertAcknowledgement(string By, DateTimeOffset Time, string? Note);

/// <summary>How an alert was resolved: its condition cleared (<see cref="Cleared"/>, no one) or by hand (<see cref="Manual"/>).</summary>
public sealed record AlertResolution(string? By, DateTimeOffset Time, string Reason, string? Note)
{
    public const string Cleared = "cleared";
    public const string Manual = "manual";
}

/// <summary>One change of an alert's state: to which state, when, by whom (null for the rule itself), with a note.</summary>
public sealed record AlertTransition(AlertState State, DateTimeOffset Time, string? By, string? Note)
{
    public JsonObject ToJson() => new() { ["state"] = State.Name(), ["time"] = Alert.Time(Time), ["by"] = By, ["note"] = Note };

    public static AlertTransition FromJson(JsonObject json) =>
        new(AlertStates.Find((string?)json["state"]) ?? AlertState.Raised, Alert.Parse(json["time"]), (string?)json["by"], (string?)json["note"]);
}
