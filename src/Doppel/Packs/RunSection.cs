using Doppel.Simulation.Experiments;

namespace Doppel.Packs;

/// <summary>
/// The <c>run</c> section of a scenario file or request, <c>{ duration, warmup, replications, seed }</c>: each key
/// optional over the kind's defaults, unknown keys refused, the result validated (<see cref="RunSettings.Validate"/>).
/// </summary>
public static class RunSection
{
    public static IReadOnlyList<string> Keys { get; } = ["duration", "warmup", "replications", "seed"];

    /// <summary>The settings the section gives over <paramref name="defaults"/>; an error at the section when they cannot run.</summary>
    /// <param name="section">The <c>run</c> mapping; null when there is none.</param>
    /// <param name="defaults">The kind's defaults.</param>
    /// <param name="limits">The most the host takes.</param>
    /// <param name="at">Where to report an invalid combination when there is no section (the document's root).</param>
    public static RunSettings Read(DocumentMap? section, RunSettings defaults, RunLimits? limits, DocumentNode at)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        ArgumentNullException.ThrowIfNull(at);
        var run = defaults;
        if (section is not null)
        {
            section.Allow(Keys);
            run = defaults.With(section.Number("duration"), section.Number("warmup"), section.Integer("replications"), section.UnsignedInteger("seed"));
        }
        if (run.Validate(limits) is { Count: > 0 } errors)
        {
            throw (section ?? at).Error((section is null ? "run: " : "") + string.Join(" ", errors));
        }
        return run;
    }
}
