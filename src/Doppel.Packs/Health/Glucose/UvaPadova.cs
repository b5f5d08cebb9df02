namespace Doppel.Packs.Health.Glucose;

/// <summary>
/// The UVA/Padova type 1 diabetes model (Dalla Man et al. 2007, Kovatchev et al. 2009), written as simglucose's
/// <c>T1DPatient.model</c>: 13 states, time in minutes. State: 0–1 stomach (solid, liquid, mg), 2 gut (mg),
/// 3 plasma glucose Gp, 4 tissue glucose Gt (mg/kg), 5 plasma insulin Ip (pmol/kg), 6 insulin action X, 7–8 delayed
/// insulin I1, Id, 9 liver insulin Il, 10–11 subcutaneous insulin (pmol/kg), 12 subcutaneous glucose (mg/kg).
/// </summary>
public static class UvaPadova
{
    /// <summary>The number of states.</summary>
    public const int StateSize = 13;

    /// <summary>
    /// dx/dt at <paramref name="t"/> for the state <paramref name="x"/>, eating <paramref name="carbs"/> g/min and receiving
    /// <paramref name="insulin"/> U/min, with the meal being digested described by <paramref name="meal"/>. The order of
    /// the floating-point operations is simglucose's, so that the same solver gives the same numbers.
    /// </summary>
    public static void Derivatives(PatientParameters p, in MealState meal, double t, ReadOnlySpan<double> x, double carbs, double insulin, Span<double> dx)
    {
        ArgumentNullException.ThrowIfNull(p);
        _ = t;
        var d = carbs * 1000; // g -> mg
        var insulinRate = insulin * 6000 / p.BW; // U/min -> pmol/kg/min

        var qsto = x[0] + x[1];
        var dbar = meal.LastQsto + meal.LastFoodTaken * 1000; // mg

        dx[0] = -p.Kmax * x[0] + d;

        double kgut;
        if (dbar > 0)
        {
            var aa = 5 / (2 * dbar * (1 - p.B));
            var cc = 5 / (2 * dbar * p.D);
            kgut = p.Kmin + (p.Kmax - p.Kmin) / 2 * (Math.Tanh(aa * (qsto - p.B * dbar)) - Math.Tanh(cc * (qsto - p.D * dbar)) + 2);
        }
        else
        {
            kgut = p.Kmax;
        }

        dx[1] = p.Kmax * x[0] - x[1] * kgut;
        dx[2] = kgut * x[1] - p.Kabs * x[2];

        var rat = p.F * p.Kabs * x[2] / p.BW; // rate of appearance
        var egpt = p.Kp1 - p.Kp2 * x[3] - p.Kp3 * x[8]; // endogenous production
        var uiit = p.Fsnc;
        var et = x[3] > p.Ke2 ? p.Ke1 * (x[3] - p.Ke2) : 0; // renal excretion

        var dx3 = Math.Max(egpt, 0) + rat - uiit - et - p.K1 * x[3] + p.K2 * x[4];
        dx[3] = x[3] >= 0 ? dx3 : 0;

        var vmt = p.Vm0 + p.Vmx * x[6];
        var uidt = vmt * x[4] / (p.Km0 + x[4]);
        var dx4 = -uidt + p.K1 * x[3] - p.K2 * x[4];
        dx[4] = x[4] >= 0 ? dx4 : 0;

        var dx5 = -(p.M2 + p.M4) * x[5] + p.M1 * x[9] + p.Ka1 * x[10] + p.Ka2 * x[11];
        var it = x[5] / p.Vi;
        dx[5] = x[5] >= 0 ? dx5 : 0;

        dx[6] = -p.P2u * x[6] + p.P2u * (it - p.Ib);
        dx[7] = -p.Ki * (x[7] - it);
        dx[8] = -p.Ki * (x[8] - x[7]);

        var dx9 = -(p.M1 + p.M30) * x[9] + p.M2 * x[5];
        dx[9] = x[9] >= 0 ? dx9 : 0;

        var dx10 = insulinRate - (p.Ka1 + p.Kd) * x[10];
        dx[10] = x[10] >= 0 ? dx10 : 0;

        var dx11 = p.Kd * x[10] - p.Ka2 * x[11];
        dx[11] = x[11] >= 0 ? dx11 : 0;

        var dx12 = -p.Ksc * x[12] + p.Ksc * x[3];
        dx[12] = x[12] >= 0 ? dx12 : 0;
    }

    /// <summary>The glucose a CGM sees (mg/dL): subcutaneous glucose x[12] over the distribution volume, as simglucose's <c>Gsub</c>.</summary>
    public static double Glucose(PatientParameters p, ReadOnlySpan<double> x)
    {
        ArgumentNullException.ThrowIfNull(p);
        return x[12] / p.Vg;
    }
}
