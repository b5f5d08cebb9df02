using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Doppel.History;
using Doppel.Modeling;
using Doppel.Packs;
using Doppel.Rules.Internal;

namespace Doppel.Rules;

/// <summary>
/// A monitoring rule: which twins it watches (<see cref="ScopeModel"/> and the models extending it, or
/// <see cref="ScopeQuery"/>), the condition that raises an alert, the optional condition that clears it (hysteresis),
/// how long the condition must hold (<see cref="For"/>), and the alert's severity and message.
/// </summary>
public sealed partial class AlertRule
{
    private static readonly string[] Keys = ["id", "description", "scope", "condition", "clear", "for", "severity", "message", "enabled", "etag", "createdTime", "lastUpdatedTime"];

    private AlertRule(string id) => Id = id;

    public string Id { get; }

    public string? Description { get; private init; }

    /// <summary>The model whose twins (and those of models extending it) the rule watches; null for a query scope.</summary>
    public string? ScopeModel { get; private init; }

    /// <summary>The query selecting the twins the rule watches; null for a model scope.</summary>
    public string? ScopeQuery { get; private init; }

    /// <summary>The condition that raises an alert, as written.</summary>
    public string Condition => ConditionExpression.Text;

    /// <summary>The condition that resolves it, as written; null: the alert clears when <see cref="Condition"/> no longer holds.</summary>
    public string? Clear => ClearExpression?.Text;

    /// <summary>How long the condition must hold before an alert is raised; null raises at once.</summary>
    public TimeSpan? For { get; private init; }

    public string? ForText { get; private init; }

    public AlertSeverity Severity { get; private init; }

    /// <summary>The alert's message: <c>{twinId}</c>, <c>{ruleId}</c>, <c>{severity}</c>, <c>{value}</c> and property or telemetry names are filled in.</summary>
    public string Message { get; private init; } = "";

    public bool Enabled { get; private init; } = true;

    public string ETag { get; init; } = "";

    public DateTimeOffset CreatedTime { get; init; }

    public DateTimeOffset LastUpdatedTime { get; init; }

    internal RuleExpression ConditionExpression { get; private init; } = null!;

    internal RuleExpression? ClearExpression { get; private init; }

    internal ScopeQuery? CompiledScope { get; private init; }

    internal Dtmi? ScopeDtmi { get; private init; }

    /// <summary>Names the condition and the clear condition read on the twin.</summary>
    internal IReadOnlySet<string> Reads => _reads ??= [.. ConditionExpression.Reads.Concat(ClearExpression?.Reads ?? Enumerable.Empty<string>())];

    /// <summary>Names the twin's document must carry for this rule: what it reads and what its message shows.</summary>
    internal IReadOnlyList<string> DocumentNames => _documentNames ??= [.. Reads.Concat(MessageNames).Distinct()];

    /// <summary>The rule functions of the condition and the clear condition.</summary>
    internal IReadOnlyList<RuleFunction> Functions => _functions ??= [.. ConditionExpression.Functions.Concat(ClearExpression?.Functions ?? [])];

    private HashSet<string>? _reads;
    private IReadOnlyList<string>? _documentNames;
    private IReadOnlyList<RuleFunction>? _functions;

    /// <summary>Names in the message template beyond the fixed ones.</summary>
    internal IReadOnlyList<string> MessageNames { get; private init; } = [];

    /// <summary>
    /// Reads a rule document (JSON, or YAML) for <paramref name="id"/>; every error is <c>RuleInvalid</c> and names the
    /// field, and for an expression the line and column in it.
    /// </summary>
    /// <param name="id">The rule's id (from the URL).</param>
    /// <param name="text">The document.</param>
    /// <param name="modelAndSubtypes">The model and its descendants, for IS_OF_MODEL.</param>
    public static Result<AlertRule> Parse(string id, string text, Func<string, IReadOnlySet<string>> modelAndSubtypes)
    {
        ArgumentNullException.ThrowIfNull(modelAndSubtypes);
        id ??= "";
        if (!IdPattern().IsMatch(id))
        {
            return Result<AlertRule>.Fail("RuleInvalid", $"id: rule id '{id}' must be 1 to 100 letters, digits, '-', '_' or '.', starting with a letter or digit.");
        }
        var document = DocumentReader.Read(text ?? "", map => Read(id, map));
        if (!document.IsSuccess)
        {
            return Result<AlertRule>.Fail("RuleInvalid", document.Error.Message);
        }
        var (fields, scopeModel, scopeQuery) = document.Value;
        var condition = RuleExpression.Parse(fields.Condition, "condition", modelAndSubtypes);
        if (!condition.IsSuccess)
        {
            return condition.Error;
        }
        RuleExpression? clear = null;
        if (fields.Clear is not null)
        {
            var parsed = RuleExpression.Parse(fields.Clear, "clear", modelAndSubtypes);
            if (!parsed.IsSuccess)
            {
                return parsed.Error;
            }
            clear = parsed.Value;
        }
        ScopeQuery? compiledScope = null;
        if (scopeQuery is not null)
        {
            var parsed = Internal.ScopeQuery.Parse(scopeQuery, modelAndSubtypes);
            if (!parsed.IsSuccess)
            {
                return parsed.Error;
            }
            compiledScope = parsed.Value;
        }
        return Result<AlertRule>.Ok(new AlertRule(id)
        {
            Description = fields.Description,
            ScopeModel = scopeModel,
            ScopeQuery = scopeQuery,
            ScopeDtmi = scopeModel is null ? null : new Dtmi(scopeModel),
            ConditionExpression = condition.Value,
            ClearExpression = clear,
            CompiledScope = compiledScope,
            For = fields.For,
            ForText = fields.ForText,
            Severity = fields.Severity,
            Message = fields.Message,
            MessageNames = [.. Placeholder().Matches(fields.Message).Select(m => m.Groups[1].Value).Where(n => n is not ("twinId" or "ruleId" or "severity" or "value")).Distinct()],
            Enabled = fields.Enabled,
        });
    }

    /// <summary>The rule with its stored identity: etag and times.</summary>
    public AlertRule Stamped(string etag, DateTimeOffset created, DateTimeOffset updated) => new(Id)
    {
        Description = Description,
        ScopeModel = ScopeModel,
        ScopeQuery = ScopeQuery,
        ScopeDtmi = ScopeDtmi,
        ConditionExpression = ConditionExpression,
        ClearExpression = ClearExpression,
        CompiledScope = CompiledScope,
        For = For,
        ForText = ForText,
        Severity = Severity,
        Message = Message,
        MessageNames = MessageNames,
        Enabled = Enabled,
        ETag = etag,
        CreatedTime = created,
        LastUpdatedTime = updated,
    };

    /// <summary>The API's JSON shape, which <see cref="Parse"/> reads back.</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject { ["id"] = Id };
        if (Description is not null)
        {
            json["description"] = Description;
        }
        json["scope"] = ScopeModel is not null ? new JsonObject { ["model"] = ScopeModel } : new JsonObject { ["query"] = ScopeQuery };
        json["condition"] = Condition;
        if (Clear is not null)
        {
            json["clear"] = Clear;
        }
        if (ForText is not null)
        {
            json["for"] = ForText;
        }
        json["severity"] = Severity.Name();
        json["message"] = Message;
        json["enabled"] = Enabled;
        json["etag"] = ETag;
        json["createdTime"] = Alert.Time(CreatedTime);
        json["lastUpdatedTime"] = Alert.Time(LastUpdatedTime);
        return json;
    }

    /// <summary>The longest window a condition looks back over: a backtest starts that much before its range.</summary>
    internal TimeSpan LongestWindow =>
        Functions.Select(f => f.Window).DefaultIfEmpty(TimeSpan.Zero).Max();

    private sealed record Fields(string? Description, string Condition, string? Clear, TimeSpan? For, string? ForText, AlertSeverity Severity, string Message, bool Enabled);

    private static (Fields Fields, string? Model, string? Query) Read(string id, DocumentMap map)
    {
        map.Allow(Keys);
        if (map.Text("id") is { } given && given != id)
        {
            throw map["id"]!.Error($"the document's id '{given}' differs from the rule id '{id}' in the address");
        }
        var scope = map.Required("scope", "{\"model\": \"dtmi:...;1\"} or {\"query\": \"SELECT * FROM DIGITALTWINS T WHERE ...\"}").ExpectMap("a mapping with 'model' or 'query'");
        scope.Allow("model", "query");
        var model = scope.Text("model");
        var query = scope.Text("query");
        if ((model is null) == (query is null))
        {
            throw scope.Error("give exactly one of 'model' (a model id) and 'query' (a query selecting twins)");
        }
        if (model is not null && (!model.StartsWith("dtmi:", StringComparison.Ordinal) || !model.Contains(';', StringComparison.Ordinal)))
        {
            throw scope["model"]!.Error($"'{model}' is not a model id such as dtmi:example:Pump;1");
        }
        var condition = map.Required("condition", "the expression that raises an alert, e.g. T.temperature > 90").ExpectScalar("an expression in quotes").Text;
        var clear = map.Text("clear");
        TimeSpan? duration = null;
        var forText = map.Text("for");
        if (forText is not null)
        {
            var parsed = HistoryDuration.Parse(forText, "for");
            duration = parsed.IsSuccess ? parsed.Value : throw map["for"]!.Error(parsed.Error.Message);
        }
        var severityNode = map.Required("severity", string.Join(", ", AlertSeverities.Names));
        var severity = AlertSeverities.Find(severityNode.ExpectScalar("a severity").Text)
            ?? throw severityNode.Error($"'{((DocumentScalar)severityNode).Text}' is not a severity; use one of {string.Join(", ", AlertSeverities.Names)}");
        var message = map.Required("message", "the alert's text, e.g. \"{twinId} is at {value}\"").ExpectScalar("a text").Text;
        if (message.Trim().Length == 0)
        {
            throw map["message"]!.Error("the message is empty");
        }
        var enabled = map.Boolean("enabled") ?? true;
        return (new Fields(map.Text("description"), condition, clear, duration, forText, severity, message, enabled), model, query);
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"\{([A-Za-z_$][A-Za-z0-9_.$]*)\}")]
    internal static partial Regex Placeholder();
}
