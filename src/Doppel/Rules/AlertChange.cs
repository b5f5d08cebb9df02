namespace Doppel.Rules;

/// <summary>An alert after one transition, with the CloudEvents type that announces it and the twin's model.</summary>
/// <param name="Alert">The alert as it now stands, its transitions included.</param>
/// <param name="Type">One of <see cref="AlertEventTypes"/>.</param>
/// <param name="ModelId">The twin's model (the event's <c>dataschema</c>).</param>
public sealed record AlertChange(Alert Alert, string Type, string ModelId);

/// <summary>The CloudEvents types of alert events.</summary>
public static class AlertEventTypes
{
    public const string Raised = "doppel.alert.raised";
    public const string Acknowledged = "doppel.alert.acknowledged";
    public const string Resolved = "doppel.alert.resolved";

    public static IReadOnlyList<string> All { get; } = [Raised, Acknowledged, Resolved];
}
