using System.Globalization;
using System.Text.Json.Nodes;

namespace Doppel.Simulation.Experiments;

/// <summary>
/// How long and how often a simulation runs: the simulated time per replication, the warm-up left out of the
/// statistics, the replications per scenario, and the seed. One record for every form a run is given in (a scenario
/// file's <c>run</c> section, an API request's <c>run</c> object, command-line overrides), with one validation.
/// </summary>
/// <remarks>
/// Duration and warm-up are in the model's own time unit, so each scenario or experiment kind states its defaults
/// once (<c>RunDefaults</c>); replications and seed default here.
/// </remarks>
public sealed record RunSettings
{
    /// <summary>Simulated time per replication, warm-up included.</summary>
    public required double Duration { get; init; }

    /// <summary>Simulated time at the start of each replication that the statistics leave out.</summary>
    public required double Warmup { get; init; }

    /// <summary>
    /// Replications per scenario; at least 2, since a confidence interval (and a paired comparison) needs two. Ten give
    /// Student t intervals only 8% wider than twenty at the same variance, for half the work.
    /// </summary>
    public int Replications { get; init; } = 10;

    /// <summary>The experiment seed every replication's seeds derive from.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>What is wrong with these settings, one message each naming the setting; empty when they can run.</summary>
    /// <param name="limits">The most a host takes (a server's resources); none by default.</param>
    public IReadOnlyList<string> Validate(RunLimits? limits = null)
    {
        limits ??= RunLimits.None;
        var errors = new List<string>();
        if (!double.IsFinite(Duration) || Duration <= 0)
        {
            errors.Add(Invariant($"duration must be a positive number, got {Duration}."));
        }
        else if (Duration > limits.MaxDuration)
        {
            errors.Add(Invariant($"duration must be at most {limits.MaxDuration:G}, got {Duration:G}."));
        }
        if (!double.IsFinite(Warmup) || Warmup < 0 || (double.IsFinite(Duration) && Warmup >= Duration))
        {
            errors.Add(Invariant($"warmup must be 0 or more and less than the duration ({Duration:G}), got {Warmup:G}."));
        }
        if (Replications < 2)
        {
            errors.Add(Invariant($"replications must be at least 2 (a confidence interval needs two), got {Replications}."));
        }
        else if (Replications > limits.MaxReplications)
        {
            errors.Add(Invariant($"replications must be at most {limits.MaxReplications}, got {Replications}."));
        }
        return errors;
    }

    /// <summary>These settings with the values given replaced (command-line overrides).</summary>
    public RunSettings With(double? duration = null, double? warmup = null, int? replications = null, ulong? seed = null) => this with
    {
        Duration = duration ?? Duration,
        Warmup = warmup ?? Warmup,
        Replications = replications ?? Replications,
        Seed = seed ?? Seed,
    };

    /// <summary>The settings as a <c>run</c> object: <c>{"duration", "warmup", "replications", "seed"}</c>.</summary>
    public JsonObject ToJson() => new()
    {
        ["duration"] = Duration,
        ["warmup"] = Warmup,
        ["replications"] = Replications,
        ["seed"] = Seed,
    };

    /// <summary>One line for people: "10 replications of 20000 time units (warm-up 1000), seed 1".</summary>
    public override string ToString() => Invariant($"{Replications} replications of {Duration:G} time units (warm-up {Warmup:G}), seed {Seed}");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
