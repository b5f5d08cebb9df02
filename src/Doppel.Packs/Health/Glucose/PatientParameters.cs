using System.Collections.Frozen;
using Doppel.Packs.Health.Glucose.Internal;

namespace Doppel.Packs.Health.Glucose;

/// <summary>
/// One virtual patient of the UVA/Padova type 1 diabetes model as simglucose ships it: every column of
/// <c>vpatient_params.csv</c> (the symbols of Dalla Man et al. 2007/2014) and the patient's therapy from
/// <c>Quest.csv</c> (carb ratio, correction factor), which simglucose's basal-bolus controller uses.
/// </summary>
/// <remarks>Units as simglucose's: minutes, mg/kg for glucose masses, pmol/kg for insulin masses, kg, g/U, mg/dL/U.</remarks>
public sealed record PatientParameters
{
    /// <summary>The patient's name, e.g. <c>adolescent#001</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The initial state x0_1 … x0_13 (the steady state at basal insulin).</summary>
    public required IReadOnlyList<double> InitialState { get; init; }

    /// <summary>Body weight (kg).</summary>
    public required double BW { get; init; }
    public required double EGPb { get; init; }
    /// <summary>Basal plasma glucose (mg/dL).</summary>
    public required double Gb { get; init; }
    /// <summary>Basal plasma insulin (pmol/L).</summary>
    public required double Ib { get; init; }
    public required double Kabs { get; init; }
    public required double Kmax { get; init; }
    public required double Kmin { get; init; }
    public required double B { get; init; }
    public required double D { get; init; }
    /// <summary>Glucose distribution volume (dL/kg).</summary>
    public required double Vg { get; init; }
    /// <summary>Insulin distribution volume (L/kg).</summary>
    public required double Vi { get; init; }
    public required double Ipb { get; init; }
    public required double Vmx { get; init; }
    public required double Km0 { get; init; }
    public required double K2 { get; init; }
    public required double K1 { get; init; }
    public required double P2u { get; init; }
    public required double M1 { get; init; }
    public required double M5 { get; init; }
    public required double CL { get; init; }
    public required double HEb { get; init; }
    public required double M2 { get; init; }
    public required double M4 { get; init; }
    public required double M30 { get; init; }
    public required double Ilb { get; init; }
    public required double Ki { get; init; }
    public required double Kp2 { get; init; }
    public required double Kp3 { get; init; }
    /// <summary>Fraction of the intestinal absorption that appears in plasma.</summary>
    public required double F { get; init; }
    public required double Gpb { get; init; }
    public required double Ke1 { get; init; }
    public required double Ke2 { get; init; }
    public required double Fsnc { get; init; }
    public required double Gtb { get; init; }
    public required double Vm0 { get; init; }
    public required double Rdb { get; init; }
    public required double PCRb { get; init; }
    public required double Kd { get; init; }
    public required double Ksc { get; init; }
    public required double Ka1 { get; init; }
    public required double Ka2 { get; init; }
    public required double Dosekempt { get; init; }
    /// <summary>Steady-state insulin infusion (pmol/kg/min): basal insulin is <c>u2ss · BW / 6000</c> U/min.</summary>
    public required double U2ss { get; init; }
    public required double Isc1ss { get; init; }
    public required double Isc2ss { get; init; }
    public required double Kp1 { get; init; }
    public required double PatientHistory { get; init; }

    /// <summary>Carb ratio (g of carbohydrate per U of insulin), from Quest.csv.</summary>
    public required double CarbRatio { get; init; }

    /// <summary>Correction factor (mg/dL per U of insulin), from Quest.csv.</summary>
    public required double CorrectionFactor { get; init; }

    /// <summary>Age (years), from Quest.csv.</summary>
    public required double Age { get; init; }

    /// <summary>Total daily insulin (U), from Quest.csv.</summary>
    public required double TotalDailyInsulin { get; init; }

    /// <summary>The group: <c>adolescent</c>, <c>adult</c> or <c>child</c> (the name before '#').</summary>
    public string Group => Name.Split('#')[0];

    /// <summary>The basal insulin rate that holds the steady state (U/min).</summary>
    public double BasalRate => U2ss * BW / 6000;

    /// <summary>simglucose's 30 virtual patients, in the file's order (adolescents, adults, children).</summary>
    public static IReadOnlyList<PatientParameters> All => SimglucoseData.Patients;

    /// <summary>The patient of that name (<c>adolescent#001</c> … <c>child#010</c>).</summary>
    public static Result<PatientParameters> Find(string name)
    {
        if (!string.IsNullOrWhiteSpace(name) && ByName.TryGetValue(name.Trim(), out var patient))
        {
            return Result<PatientParameters>.Ok(patient);
        }
        var hint = NearestName.Find(name ?? "", All.Select(p => p.Name)) is { } nearest ? $" (did you mean '{nearest}'?)" : "";
        return new DoppelError("unknown-patient", $"There is no virtual patient '{name}'{hint}: the patients are adolescent#001..010, adult#001..010 and child#001..010.");
    }

    /// <summary>A cohort: <c>adults</c>, <c>adolescents</c>, <c>children</c> (or the singular) or <c>all</c>; empty for another name.</summary>
    public static IReadOnlyList<PatientParameters> Cohort(string group)
    {
        var key = (group ?? "").Trim().ToLowerInvariant();
        var prefix = key switch
        {
            "all" => "",
            "adults" or "adult" => "adult#",
            "adolescents" or "adolescent" => "adolescent#",
            "children" or "child" => "child#",
            _ => null,
        };
        return prefix is null ? [] : All.Where(p => p.Name.StartsWith(prefix, StringComparison.Ordinal)).ToArray();
    }

    /// <summary>
    /// Patients from a comma-separated list of names and groups (<c>all</c>, <c>adults</c>, <c>adolescent</c>, ...,
    /// <c>adult#001</c>), in the order given, each once; an error names the first item that is neither.
    /// </summary>
    public static Result<IReadOnlyList<PatientParameters>> Select(string list)
    {
        var chosen = new List<PatientParameters>();
        foreach (var item in (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var group = Cohort(item);
            if (group.Count == 0)
            {
                var one = Find(item);
                if (!one.IsSuccess)
                {
                    return new DoppelError(one.Error.Code, $"{one.Error.Message} Groups: all, adults, adolescents, children.");
                }
                group = [one.Value];
            }
            chosen.AddRange(group.Where(p => !chosen.Contains(p)));
        }
        return chosen.Count == 0
            ? new DoppelError("unknown-patient", "No patient is named: give names (adult#001) or groups (all, adults, adolescents, children), comma-separated.")
            : Result<IReadOnlyList<PatientParameters>>.Ok(chosen);
    }

    private static FrozenDictionary<string, PatientParameters> ByName { get; } = SimglucoseData.Patients.ToFrozenDictionary(p => p.Name, StringComparer.Ordinal);
}
