using Doppel.Packs.Health.Glucose;

namespace Doppel.Packs.Health.Trials;

/// <summary>A group of virtual patients a trial reports on as one (simglucose's adults, adolescents, children).</summary>
public sealed record TrialCohort(string Name, IReadOnlyList<PatientParameters> Patients)
{
    /// <summary>simglucose's cohorts by name (<c>adults</c>, <c>adolescents</c>, <c>children</c>), the first <paramref name="patients"/> of each (all when null).</summary>
    public static TrialCohort Named(string name, int? patients = null)
    {
        var all = PatientParameters.Cohort(name);
        if (all.Count == 0)
        {
            throw new ArgumentException($"There is no cohort '{name}'.", nameof(name));
        }
        return new TrialCohort(name, patients is { } n ? all.Take(n).ToArray() : all);
    }
}
