namespace Doppel.Packs.Health.Drugs;

/// <summary>
/// An individual's pharmacokinetic parameters for a linear one-, two- or three-compartment model: clearance CL (L/h),
/// central volume V1 (L), intercompartmental clearances Q2, Q3 (L/h) and peripheral volumes V2, V3 (L), first-order
/// absorption rate Ka (1/h), oral bioavailability F and oral lag time (h). Parameters of compartments the model does not
/// have are ignored.
/// </summary>
public sealed record PkParameters(int Compartments, double CL, double V1, double Q2 = 0, double V2 = 0, double Q3 = 0, double V3 = 0, double Ka = 0, double F = 1, double Lag = 0)
{
    /// <summary>The elimination rate constant k10 = CL/V1 (1/h).</summary>
    public double K10 => CL / V1;

    /// <summary>k12 = Q2/V1, k21 = Q2/V2 (1/h); 0 for a one-compartment model.</summary>
    public double K12 => Compartments >= 2 ? Q2 / V1 : 0;

    public double K21 => Compartments >= 2 ? Q2 / V2 : 0;

    /// <summary>k13 = Q3/V1, k31 = Q3/V3 (1/h); 0 below three compartments.</summary>
    public double K13 => Compartments >= 3 ? Q3 / V1 : 0;

    public double K31 => Compartments >= 3 ? Q3 / V3 : 0;

    /// <summary>What is wrong with the parameters, or null when they make a model.</summary>
    public string? Problem(bool oral = false)
    {
        if (Compartments is < 1 or > 3)
        {
            return $"a model has 1, 2 or 3 compartments, not {Compartments}";
        }
        if (Bad(CL))
        {
            return $"CL must be a positive number of L/h, got {CL}";
        }
        if (Bad(V1))
        {
            return $"V1 must be a positive number of L, got {V1}";
        }
        if (Compartments >= 2 && (Bad(Q2) || Bad(V2)))
        {
            return $"a two-compartment model needs positive Q2 and V2, got Q2 = {Q2}, V2 = {V2}";
        }
        if (Compartments >= 3 && (Bad(Q3) || Bad(V3)))
        {
            return $"a three-compartment model needs positive Q3 and V3, got Q3 = {Q3}, V3 = {V3}";
        }
        if (oral && Bad(Ka))
        {
            return $"oral doses need a positive absorption rate Ka (1/h), got {Ka}";
        }
        if (!(F is > 0 and <= 1))
        {
            return $"the bioavailability F must be in (0, 1], got {F}";
        }
        if (!double.IsFinite(Lag) || Lag < 0)
        {
            return $"the lag time must be 0 h or more, got {Lag}";
        }
        return null;

        static bool Bad(double value) => !(double.IsFinite(value) && value > 0);
    }

    /// <summary>A parameter by its name (CL, V1, Q2, V2, Q3, V3, KA, F, LAG; Vc, Vp, Q as aliases), for tables.</summary>
    public static IReadOnlyList<string> Names { get; } = ["CL", "V1", "Q2", "V2", "Q3", "V3", "KA", "F", "LAG"];
}
