namespace Doppel.Packs.Mobility.Sumo;

/// <summary>
/// One SUMO run: the network, demand and additional files, and SUMO's options as Doppel's run takes them. Outputs go
/// to <see cref="OutputFolder"/>; <see cref="TripInfo"/> off leaves only the statistics (for timing, as the bench does).
/// </summary>
public sealed record SumoRunRequest(string NetFile, IReadOnlyList<string> RouteFiles)
{
    public IReadOnlyList<string> AdditionalFiles { get; init; } = [];

    public ulong Seed { get; init; } = 42;

    public double StepLength { get; init; } = 1;

    /// <summary>When to stop; null runs until every vehicle has arrived.</summary>
    public double? End { get; init; }

    /// <summary>SUMO's <c>--time-to-teleport</c> (s); zero or less disables teleports.</summary>
    public double TimeToTeleport { get; init; } = 300;

    /// <summary>Where SUMO writes; null: a new folder under the system's temporary folder.</summary>
    public string? OutputFolder { get; init; }

    public bool TripInfo { get; init; } = true;

    public bool Summary { get; init; }
}
