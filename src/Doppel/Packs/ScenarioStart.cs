using System.Globalization;

namespace Doppel.Packs;

/// <summary>Where a fork starts: the twins' live state now, their state at a past time (from history), or an empty system.</summary>
public sealed record ScenarioStart
{
    private ScenarioStart(DateTimeOffset? at, bool empty) => (At, IsEmpty) = (at, empty);

    /// <summary>The live state (the default).</summary>
    public static ScenarioStart Now { get; } = new(null, false);

    /// <summary>No state: an empty system (<c>"fromLiveState": false</c>).</summary>
    public static ScenarioStart Empty { get; } = new(null, true);

    /// <summary>The state at a past time, read from history (<c>"at"</c>).</summary>
    public static ScenarioStart AtTime(DateTimeOffset at) => new(at, false);

    public DateTimeOffset? At { get; }

    public bool IsEmpty { get; }

    /// <summary><c>now</c>, <c>empty</c>, or the time in ISO 8601 (UTC): what a result's <c>start</c> says.</summary>
    public override string ToString() => At is { } at ? at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture) : IsEmpty ? "empty" : "now";
}
