using Doppel.Packs.Mobility.Simulation;
using Doppel.Packs.Mobility.Sumo;

namespace Doppel.Packs.Mobility.Validation;

/// <summary>What "agrees with SUMO" means: means within a relative tolerance, per-vehicle durations passing the KS test at α, no collisions, teleports no more than SUMO's.</summary>
public sealed record ComparisonCriteria
{
    public double MeanTolerance { get; init; } = 0.05;

    public double Alpha { get; init; } = 0.05;
}

/// <summary>One mean KPI from both simulators (seconds).</summary>
public sealed record KpiComparison(string Name, double Doppel, double Sumo)
{
    /// <summary>(Doppel − SUMO) / SUMO; 0 when both are 0.</summary>
    public double RelativeDifference => Sumo == 0 ? (Doppel == 0 ? 0 : double.PositiveInfinity) : (Doppel - Sumo) / Sumo;

    public bool Passes(double tolerance) => Math.Abs(RelativeDifference) <= tolerance;
}

/// <summary>
/// Doppel's run beside SUMO's on the same files: the tripinfo means (duration, waitingTime, timeLoss), the KS test on
/// per-vehicle durations, arrivals, collisions and teleports, and which criteria fail.
/// </summary>
public sealed record TrafficComparison(string Scenario, int DoppelArrived, int SumoArrived, KpiComparison Duration, KpiComparison WaitingTime, KpiComparison TimeLoss,
    KolmogorovSmirnov Durations, int DoppelCollisions, int SumoCollisions, int DoppelTeleports, int SumoTeleports, ComparisonCriteria Criteria)
{
    /// <summary>Doppel's simulation wall time and SUMO's (its loop), for the record; the bench measures speed properly.</summary>
    public TimeSpan DoppelTime { get; init; }

    public TimeSpan SumoTime { get; init; }

    /// <summary>The seeds of Doppel's runs whose trips were pooled (empty when the comparison was not of runs).</summary>
    public IReadOnlyList<ulong> DoppelSeeds { get; init; } = [];

    /// <summary>The seeds of SUMO's runs whose trips were pooled.</summary>
    public IReadOnlyList<ulong> SumoSeeds { get; init; } = [];

    /// <summary>Every criterion that fails, in words; empty when Doppel agrees with SUMO.</summary>
    public IReadOnlyList<string> Failures
    {
        get
        {
            var failures = new List<string>();
            foreach (var kpi in new[] { Duration, WaitingTime, TimeLoss })
            {
                if (!kpi.Passes(Criteria.MeanTolerance))
                {
                    failures.Add($"mean {kpi.Name} {kpi.Doppel:0.00} s vs SUMO's {kpi.Sumo:0.00} s ({MobilityPack.Percent(kpi.RelativeDifference)}, allowed ±{Criteria.MeanTolerance:0%})");
                }
            }
            if (!Durations.Passes(Criteria.Alpha))
            {
                failures.Add($"durations differ in distribution (KS D = {Durations.Statistic:0.000}, p = {Durations.PValue:0.0000} < {Criteria.Alpha})");
            }
            if (DoppelArrived != SumoArrived)
            {
                failures.Add($"{DoppelArrived} vehicles arrived, SUMO's {SumoArrived}");
            }
            if (DoppelCollisions > 0)
            {
                failures.Add($"{DoppelCollisions} collisions");
            }
            if (DoppelTeleports > SumoTeleports)
            {
                failures.Add($"{DoppelTeleports} teleports, more than SUMO's {SumoTeleports}");
            }
            return failures;
        }
    }

    public bool Passes => Failures.Count == 0;

    /// <summary>Compares Doppel's trips and counters with SUMO's.</summary>
    public static TrafficComparison Compare(string scenario, TrafficResult doppel, SumoRun sumo, ComparisonCriteria? criteria = null)
    {
        ArgumentNullException.ThrowIfNull(doppel);
        ArgumentNullException.ThrowIfNull(sumo);
        return Compare(scenario, doppel.Trips, doppel.Collisions, doppel.Teleports, sumo.Trips, sumo.Statistics.Collisions, sumo.Statistics.Teleports, criteria) with
        {
            DoppelTime = doppel.Elapsed,
            SumoTime = sumo.SimulationTime,
        };
    }

    /// <summary>Compares two pooled samples (a is Doppel's side, b SUMO's; for SUMO's own baseline both are SUMO's): means over all their trips, KS on all their durations, summed counts.</summary>
    public static TrafficComparison Compare(string scenario, TrafficSample a, TrafficSample b, ComparisonCriteria? criteria = null)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return Compare(scenario, a.Trips, a.Collisions, a.Teleports, b.Trips, b.Collisions, b.Teleports, criteria) with
        {
            DoppelTime = a.Time,
            SumoTime = b.Time,
            DoppelSeeds = a.Seeds,
            SumoSeeds = b.Seeds,
        };
    }

    /// <summary>Compares two sets of trips with their collision and teleport counts (a is Doppel's side, b SUMO's).</summary>
    public static TrafficComparison Compare(string scenario, IReadOnlyList<TripInfo> a, int aCollisions, int aTeleports, IReadOnlyList<TripInfo> b, int bCollisions, int bTeleports, ComparisonCriteria? criteria = null)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        static double Mean(IReadOnlyList<TripInfo> trips, Func<TripInfo, double> value) => trips.Count == 0 ? double.NaN : trips.Average(value);
        return new TrafficComparison(scenario, a.Count, b.Count,
            new KpiComparison("duration", Mean(a, t => t.Duration), Mean(b, t => t.Duration)),
            new KpiComparison("waitingTime", Mean(a, t => t.WaitingTime), Mean(b, t => t.WaitingTime)),
            new KpiComparison("timeLoss", Mean(a, t => t.TimeLoss), Mean(b, t => t.TimeLoss)),
            KolmogorovSmirnov.Test([.. a.Select(t => t.Duration)], [.. b.Select(t => t.Duration)]),
            aCollisions, bCollisions, aTeleports, bTeleports, criteria ?? new ComparisonCriteria());
    }
}
