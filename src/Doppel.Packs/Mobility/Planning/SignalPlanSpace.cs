using System.Globalization;
using Doppel.Packs.Mobility.Network;
using Doppel.Simulation.Optimization;

namespace Doppel.Packs.Mobility.Planning;

/// <summary>
/// The search space of signal optimisation: the green splits and offsets of a region's static programs, as a point of
/// a box that CMA-ES searches. Each signal keeps its cycle, its phase sequence and its yellow and all-red phases; what
/// moves is how the cycle's green time is shared among its green phases (one weight per green phase, each phase keeping
/// at least its minimum green) and where the cycle starts (the offset, which coordinates neighbouring signals).
/// </summary>
public sealed class SignalPlanSpace
{
    private readonly List<SignalLayout> _signals;

    private SignalPlanSpace(List<SignalLayout> signals, ContinuousProblem problem, IReadOnlyList<double> start)
    {
        _signals = signals;
        Problem = problem;
        Start = start;
    }

    /// <summary>The programs the space varies, as the network runs them now.</summary>
    public IReadOnlyList<SignalProgram> Programs => [.. _signals.Select(s => s.Program)];

    /// <summary>The box: per signal, one weight in [0, 1] per green phase (when it has two or more), then its offset in [0, cycle].</summary>
    public ContinuousProblem Problem { get; }

    /// <summary>The point that decodes to the programs as they are (where a search starts).</summary>
    public IReadOnlyList<double> Start { get; }

    /// <summary>
    /// The space of <paramref name="signalIds"/>' programs (every static program of the network when null or empty).
    /// Fails on an unknown signal, or one whose program cannot be varied (not static, no green phase, nothing to move).
    /// </summary>
    /// <param name="network">The network whose programs are varied; when a signal has several, the last one is the one in force (as in SUMO).</param>
    /// <param name="signalIds">The region's signals.</param>
    /// <param name="minGreen">The least green a phase gets (s); a phase shorter than that now keeps its own length as its minimum.</param>
    public static Result<SignalPlanSpace> Create(RoadNetwork network, IReadOnlyCollection<string>? signalIds = null, double minGreen = 5)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (!(minGreen >= 0 && double.IsFinite(minGreen)))
        {
            return Result<SignalPlanSpace>.Fail("InvalidArgument", string.Create(CultureInfo.InvariantCulture, $"The minimum green must be 0 s or more, not {minGreen:G}."));
        }
        // SUMO runs the program loaded last for a signal.
        var inForce = new Dictionary<string, SignalProgram>(StringComparer.Ordinal);
        foreach (var program in network.SignalPrograms)
        {
            inForce[program.Id] = program;
        }
        var chosen = new List<SignalProgram>();
        if (signalIds is { Count: > 0 })
        {
            foreach (var id in signalIds.Distinct(StringComparer.Ordinal))
            {
                if (!inForce.TryGetValue(id, out var program))
                {
                    return Result<SignalPlanSpace>.Fail("InvalidArgument", $"The network has no traffic light '{id}' (it has {Names(inForce.Keys)}).");
                }
                if (program.Type != "static")
                {
                    return Result<SignalPlanSpace>.Fail("InvalidArgument", $"Traffic light '{id}' runs a program of type {program.Type}; only static programs have splits and offsets to optimise.");
                }
                chosen.Add(program);
            }
        }
        else
        {
            chosen.AddRange(inForce.Values.Where(p => p.Type == "static"));
        }
        if (chosen.Count == 0)
        {
            return Result<SignalPlanSpace>.Fail("InvalidArgument", "The network has no static traffic-light program to optimise.");
        }

        var signals = new List<SignalLayout>();
        var lower = new List<double>();
        var upper = new List<double>();
        var start = new List<double>();
        foreach (var program in chosen)
        {
            var cycle = program.CycleTime;
            var greens = new List<int>();
            for (var i = 0; i < program.Phases.Count; i++)
            {
                if (IsGreen(program.Phases[i].State))
                {
                    greens.Add(i);
                }
            }
            if (greens.Count == 0 || !(cycle > 0))
            {
                return Result<SignalPlanSpace>.Fail("InvalidArgument", $"Traffic light '{program.Id}' has no green phase: nothing to share out.");
            }
            var minimum = greens.Select(i => Math.Min(minGreen, program.Phases[i].Duration)).ToArray();
            var total = greens.Sum(i => program.Phases[i].Duration);
            var spare = total - minimum.Sum();
            var whole = program.Phases.All(p => p.Duration == Math.Floor(p.Duration)) && minimum.All(m => m == Math.Floor(m));
            var layout = new SignalLayout(program, [.. greens], minimum, total, whole, start.Count);
            signals.Add(layout);
            if (greens.Count >= 2)
            {
                foreach (var (phase, k) in greens.Select((p, k) => (p, k)))
                {
                    lower.Add(0);
                    upper.Add(1);
                    // The current split: each phase's green above its minimum as a share of the spare green.
                    start.Add(spare > 0 ? (program.Phases[phase].Duration - minimum[k]) / spare : 1.0 / greens.Count);
                }
            }
            lower.Add(0);
            upper.Add(cycle);
            start.Add(((program.Offset % cycle) + cycle) % cycle);
        }
        return Result<SignalPlanSpace>.Ok(new SignalPlanSpace(signals, new ContinuousProblem(lower, upper), start));
    }

    /// <summary>
    /// The programs a point stands for, under the program id <paramref name="programId"/> (a new id, so that SUMO loads
    /// them beside the network's own and runs them). Green phases get their minimum plus their weight's share of the
    /// spare green, in whole seconds when the program was in whole seconds; the cycle stays as it was.
    /// </summary>
    public IReadOnlyList<SignalProgram> Decode(IReadOnlyList<double> point, string programId)
    {
        ArgumentNullException.ThrowIfNull(point);
        ArgumentException.ThrowIfNullOrWhiteSpace(programId);
        if (point.Count != Problem.Dimensions)
        {
            throw new ArgumentException($"A point of this space has {Problem.Dimensions} values, not {point.Count}.", nameof(point));
        }
        var programs = new List<SignalProgram>(_signals.Count);
        foreach (var signal in _signals)
        {
            var program = signal.Program;
            var at = signal.FirstVariable;
            var greens = signal.GreenPhases;
            var durations = program.Phases.Select(p => p.Duration).ToArray();
            if (greens.Length >= 2)
            {
                var weights = greens.Select((_, k) => Math.Max(0, point[at + k])).ToArray();
                var sum = weights.Sum();
                var spare = signal.GreenTotal - signal.MinimumGreen.Sum();
                var targets = weights.Select((w, k) => signal.MinimumGreen[k] + (spare * (sum > 0 ? w / sum : 1.0 / greens.Length))).ToArray();
                var shared = signal.WholeSeconds ? RoundKeepingTotal(targets, signal.GreenTotal) : targets;
                for (var k = 0; k < greens.Length; k++)
                {
                    durations[greens[k]] = shared[k];
                }
                at += greens.Length;
            }
            var cycle = program.CycleTime;
            var offset = point[at];
            offset = signal.WholeSeconds ? Math.Round(offset) : offset;
            offset = ((offset % cycle) + cycle) % cycle;
            var phases = program.Phases.Select((p, i) => p with { Duration = durations[i] }).ToList();
            programs.Add(program with { ProgramId = programId, Type = "static", Offset = offset, Phases = phases });
        }
        return programs;
    }

    /// <summary>A phase during which some movement has green and none is clearing (yellow or red-yellow).</summary>
    internal static bool IsGreen(string state) =>
        state.Any(c => c is 'G' or 'g') && !state.Any(c => c is 'y' or 'Y' or 'u');

    // Whole seconds that add up to the total: each target's floor, then the seconds left to the largest remainders.
    private static double[] RoundKeepingTotal(double[] targets, double total)
    {
        var rounded = targets.Select(Math.Floor).ToArray();
        var left = (int)Math.Round(total - rounded.Sum());
        foreach (var k in Enumerable.Range(0, targets.Length).OrderByDescending(k => targets[k] - rounded[k]).ThenBy(k => k).Take(Math.Max(0, left)))
        {
            rounded[k] += 1;
        }
        return rounded;
    }

    private static string Names(IEnumerable<string> ids)
    {
        var list = ids.Order(StringComparer.Ordinal).ToList();
        return list.Count == 0 ? "none" : list.Count <= 8 ? string.Join(", ", list) : $"{string.Join(", ", list.Take(8))} and {list.Count - 8} more";
    }

    private sealed record SignalLayout(SignalProgram Program, int[] GreenPhases, double[] MinimumGreen, double GreenTotal, bool WholeSeconds, int FirstVariable);
}
