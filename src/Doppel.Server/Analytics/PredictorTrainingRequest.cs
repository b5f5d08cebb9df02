using Doppel.Analytics.Rul;
using Doppel.Modeling;

namespace Doppel.Server.Analytics;

/// <summary>
/// What to train a predictor version on: trajectories read from a data file already (<see cref="Units"/>), or the
/// history of a model's twins in a range (each twin's rows there being one run to failure), read when training starts.
/// </summary>
public sealed record PredictorTrainingRequest(RulTrainingOptions Options, string Source)
{
    /// <summary>Trajectories from a data file; null when training reads history.</summary>
    public IReadOnlyList<Trajectory>? Units { get; init; }

    /// <summary>The model whose twins' history is read (its subtypes' twins too).</summary>
    public Dtmi? HistoryModel { get; init; }

    public DateTimeOffset? From { get; init; }

    public DateTimeOffset? To { get; init; }

    /// <summary>The telemetry read from history, in order.</summary>
    public IReadOnlyList<string> Channels { get; init; } = [];
}
