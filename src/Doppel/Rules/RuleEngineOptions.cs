namespace Doppel.Rules;

/// <summary>How the rule engine suppresses flapping.</summary>
public sealed record RuleEngineOptions
{
    /// <summary>
    /// A condition that holds again within this time after its alert cleared reopens that alert (same id, one more
    /// transition) instead of raising a new one, so a value wavering around its threshold makes one alert, not dozens.
    /// </summary>
    public TimeSpan ReopenWithin { get; init; } = TimeSpan.FromMinutes(2);
}
