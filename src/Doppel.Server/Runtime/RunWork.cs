using System.Text.Json.Nodes;
using Doppel.Simulation.Experiments;

namespace Doppel.Server.Runtime;

/// <summary>The work of a run: given where to report replications done and when to stop, the result as JSON.</summary>
public delegate JsonObject RunWork(IProgress<ExperimentProgress> progress, CancellationToken ct);
