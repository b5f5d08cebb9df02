namespace Doppel.Packs.Health;

public sealed partial class HealthPack
{
    /// <summary>
    /// A section of <c>doppel bench health</c>: its name (what <c>--part</c> selects), the options it reads (added to the
    /// benchmark's, so names must not clash) and what it runs. The sections run in the order they are added.
    /// </summary>
    internal sealed record BenchPart(string Name, string Description, IReadOnlyList<VerbOption> Options, VerbAction Run);

    /// <summary>The trial tables of <c>doppel bench health</c> (HealthPack.Trials.cs): adds its section(s) after the speed comparison.</summary>
    partial void AddGlucoseTrialBenchmark(List<BenchPart> parts);
}
