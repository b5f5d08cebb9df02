using Doppel.Packs;
using Doppel.Packs.Health;

[assembly: DoppelPack(typeof(HealthPack))]

namespace Doppel.Packs.Health;

/// <summary>
/// The health pack: patient twins with type 1 diabetes (the UVA/Padova model as simglucose implements it) that stay in
/// step with their glucose sensor, forecast it and warn before a hypoglycaemia; glucose controllers compared in in-silico
/// trials; and drug twins (pharmacokinetics and pharmacodynamics, population models, Bayesian dose individualisation).
/// Each part registers itself from its own file, so the parts grow without touching each other.
/// </summary>
public sealed partial class HealthPack : IPack
{
    public string Name => "health";

    public string Description => "Healthcare: type 1 diabetes patient twins kept in step with their CGM (forecasts, predicted-hypoglycaemia alerts, what-ifs), glucose controllers in in-silico trials, and drug twins for dosing and drug trials.";

    public void Register(PackBuilder pack)
    {
        ArgumentNullException.ThrowIfNull(pack);
        RegisterPatients(pack);
        RegisterGlucose(pack);
        RegisterDrugs(pack);
        var trials = new List<PackVerb>();
        AddGlucoseTrialVerbs(trials);
        AddDrugTrialVerbs(trials);
        if (trials.Count > 0)
        {
            pack.AddVerb(new PackVerb("trial", "In-silico trials: virtual cohorts under treatments, with confidence intervals and paired comparisons.", null) { Verbs = trials });
        }
    }

    /// <summary>The patient twin: models, sample world, demo, live estimation, what-ifs, console page (HealthPack.Patients.cs).</summary>
    partial void RegisterPatients(PackBuilder pack);

    /// <summary>The glucose simulator's own registrations, such as its benchmark (HealthPack.Glucose.cs).</summary>
    partial void RegisterGlucose(PackBuilder pack);

    /// <summary>The drug twin: models, <c>doppel pk</c>, dosing (HealthPack.Drugs.cs).</summary>
    partial void RegisterDrugs(PackBuilder pack);

    /// <summary>Sub-verbs of <c>doppel trial</c> for glucose controllers (HealthPack.Trials.cs).</summary>
    partial void AddGlucoseTrialVerbs(List<PackVerb> verbs);

    /// <summary>Sub-verbs of <c>doppel trial</c> for drug regimens (HealthPack.Drugs.cs).</summary>
    partial void AddDrugTrialVerbs(List<PackVerb> verbs);
}
