namespace Doppel.Rules;

/// <summary>Where an alert is in its lifecycle: raised, then acknowledged, then resolved (a raised alert may be resolved directly).</summary>
public enum AlertState
{
    Raised,
    Acknowledged,
    Resolved,
}

/// <summary>Names of <see cref="AlertState"/> as the API writes them.</summary>
public static class AlertStates
{
    public static string Name(this AlertState state) => state switch
    {
        AlertState.Raised => "raised",
        AlertState.Acknowledged => "acknowledged",
        _ => "resolved",
    };

    /// <summary>The state an API name or filter names; "open" is not a state (raised or acknowledged).</summary>
    public static AlertState? Find(string? name) => name?.ToLowerInvariant() switch
    {
        "raised" => AlertState.Raised,
        "acknowledged" => AlertState.Acknowledged,
        "resolved" => AlertState.Resolved,
        _ => null,
    };
}
