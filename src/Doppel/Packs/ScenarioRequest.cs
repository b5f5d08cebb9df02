using Doppel.Simulation.Experiments;

namespace Doppel.Packs;

/// <summary>A scenario request as the host read it: the request (the kind reads its own keys there), the twin named by <c>twin</c>, the run, and where the fork starts.</summary>
public sealed record ScenarioRequest(DocumentMap Document, string? TwinId, RunSettings Run, ScenarioStart Start);
