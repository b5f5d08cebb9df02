namespace Doppel.Packs.Health.Drugs;

/// <summary>
/// The closed-form solution of a linear one-, two- or three-compartment model: the central concentration after a unit
/// bolus is a sum of exponentials Σ Aᵢ·e^(−λᵢt) (the macro constants), and every dose (bolus, zero-order infusion,
/// first-order absorption after a lag) is the convolution of its input with that response, summed over the doses
/// (superposition). The λᵢ are the eigenvalues of the compartments' rate matrix (the quadratic for two compartments, the
/// trigonometric cubic for three), and Aᵢ = (1/V1)·Π_p(k_p1 − λᵢ) / Π_{j≠i}(λⱼ − λᵢ).
/// Times in h, amounts in mg, volumes in L, so concentrations are mg/L and AUCs mg·h/L.
/// </summary>
public sealed class CompartmentModel
{
    private readonly double[] _lambda;
    private readonly double[] _coefficient;

    public CompartmentModel(PkParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.Problem() is { } problem)
        {
            throw new ArgumentException($"The PK parameters do not make a model: {problem}.", nameof(parameters));
        }
        Parameters = parameters;
        _lambda = Exponents(parameters);
        _coefficient = new double[_lambda.Length];
        for (var i = 0; i < _lambda.Length; i++)
        {
            var numerator = 1 / parameters.V1;
            if (parameters.Compartments >= 2)
            {
                numerator *= parameters.K21 - _lambda[i];
            }
            if (parameters.Compartments >= 3)
            {
                numerator *= parameters.K31 - _lambda[i];
            }
            var denominator = 1.0;
            for (var j = 0; j < _lambda.Length; j++)
            {
                if (j != i)
                {
                    denominator *= _lambda[j] - _lambda[i];
                }
            }
            _coefficient[i] = numerator / denominator;
        }
    }

    public PkParameters Parameters { get; }

    /// <summary>The disposition rate constants λ₁ > λ₂ > λ₃ (α, β, γ; 1/h).</summary>
    public IReadOnlyList<double> Exponents() => _lambda;

    /// <summary>The macro constants Aᵢ of the unit-bolus response (1/L), in the order of <see cref="Exponents()"/>.</summary>
    public IReadOnlyList<double> Coefficients() => _coefficient;

    /// <summary>The terminal half-life ln 2 / λ_min (h).</summary>
    public double TerminalHalfLife => Math.Log(2) / _lambda[^1];

    /// <summary>The central concentration (mg/L) at <paramref name="t"/> (h) after the doses (superposition).</summary>
    public double Concentration(IReadOnlyList<Dose> doses, double t)
    {
        ArgumentNullException.ThrowIfNull(doses);
        var c = 0.0;
        foreach (var dose in doses)
        {
            c += Contribution(dose, t, cumulative: false);
        }
        return c;
    }

    /// <summary>Concentrations at each of <paramref name="times"/>.</summary>
    public double[] Concentrations(IReadOnlyList<Dose> doses, IReadOnlyList<double> times)
    {
        ArgumentNullException.ThrowIfNull(times);
        var result = new double[times.Count];
        for (var i = 0; i < times.Count; i++)
        {
            result[i] = Concentration(doses, times[i]);
        }
        return result;
    }

    /// <summary>The area under the concentration curve from <paramref name="from"/> to <paramref name="to"/> (mg·h/L), exactly.</summary>
    public double Auc(IReadOnlyList<Dose> doses, double from, double to)
    {
        ArgumentNullException.ThrowIfNull(doses);
        var auc = 0.0;
        foreach (var dose in doses)
        {
            auc += Contribution(dose, to, cumulative: true) - Contribution(dose, from, cumulative: true);
        }
        return auc;
    }

    /// <summary>
    /// One dose's concentration at t, or (cumulative) its AUC from its start to t. Each exponential term is written with
    /// expm1 so that short times and close rate constants lose no digits.
    /// </summary>
    private double Contribution(Dose dose, double t, bool cumulative)
    {
        var p = Parameters;
        var start = dose.Route == DoseRoute.Oral ? dose.Time + p.Lag : dose.Time;
        var s = t - start;
        if (s <= 0 || dose.Amount == 0)
        {
            return 0;
        }
        var total = 0.0;
        for (var i = 0; i < _lambda.Length; i++)
        {
            var a = _coefficient[i];
            var l = _lambda[i];
            total += dose.Route switch
            {
                DoseRoute.Bolus => dose.Amount * a * (cumulative ? OneMinusExp(l, s) / l : Math.Exp(-l * s)),
                DoseRoute.Infusion => Infusion(dose.Rate, dose.Duration, a, l, s, cumulative),
                _ => p.F * dose.Amount * Absorption(p.Ka, a, l, s, cumulative),
            };
        }
        return total;
    }

    private static double Infusion(double rate, double duration, double a, double l, double s, bool cumulative)
    {
        var level = rate * a / l;
        if (s <= duration)
        {
            return cumulative ? level * (s - (OneMinusExp(l, s) / l)) : level * OneMinusExp(l, s);
        }
        var atEnd = level * OneMinusExp(l, duration);
        return cumulative
            ? (level * (duration - (OneMinusExp(l, duration) / l))) + (atEnd * OneMinusExp(l, s - duration) / l)
            : atEnd * Math.Exp(-l * (s - duration));
    }

    /// <summary>
    /// A unit oral dose through one exponential: ka·a·(e^(−λs) − e^(−ka·s))/(ka − λ), or its integral; when ka is λ the
    /// limit ka·a·s·e^(−λs).
    /// </summary>
    private static double Absorption(double ka, double a, double l, double s, bool cumulative)
    {
        var d = ka - l;
        if (Math.Abs(d) <= 1e-9 * ka)
        {
            // The limit: ka·a·s·e^(−λs); its integral ka·a·(1 − e^(−λs)(1 + λs))/λ².
            return cumulative
                ? ka * a * (OneMinusExp(l, s) - (l * s * Math.Exp(-l * s))) / (l * l)
                : ka * a * s * Math.Exp(-l * s);
        }
        if (cumulative)
        {
            return ka * a / d * ((OneMinusExp(l, s) / l) - (OneMinusExp(ka, s) / ka));
        }
        // e^(−λs) − e^(−ka·s) = −e^(−λs)·expm1(−(ka − λ)s), without cancellation.
        return -ka * a / d * Math.Exp(-l * s) * double.ExpM1(-d * s);
    }

    private static double OneMinusExp(double rate, double s) => -double.ExpM1(-rate * s);

    /// <summary>The eigenvalues of the disposition, largest first.</summary>
    private static double[] Exponents(PkParameters p)
    {
        var k10 = p.K10;
        switch (p.Compartments)
        {
            case 1:
                return [k10];
            case 2:
                {
                    var k12 = p.K12;
                    var k21 = p.K21;
                    var sum = k10 + k12 + k21;
                    var root = Math.Sqrt((sum * sum) - (4 * k10 * k21));
                    var alpha = (sum + root) / 2;
                    // β from the product α·β = k10·k21, which keeps its digits when β ≪ α.
                    return [alpha, k10 * k21 / alpha];
                }
            default:
                {
                    var (k12, k21, k13, k31) = (p.K12, p.K21, p.K13, p.K31);
                    // λ³ − a2·λ² + a1·λ − a0 = 0 (its roots are real and positive), solved by the trigonometric method.
                    var a0 = k10 * k21 * k31;
                    var a1 = (k10 * k31) + (k21 * k31) + (k21 * k13) + (k10 * k21) + (k31 * k12);
                    var a2 = k10 + k12 + k13 + k21 + k31;
                    var pp = a1 - (a2 * a2 / 3);
                    var q = (2 * a2 * a2 * a2 / 27) - (a1 * a2 / 3) + a0;
                    var r1 = Math.Sqrt(-(pp * pp * pp) / 27);
                    var phi = Math.Acos(Math.Clamp(-q / 2 / r1, -1, 1)) / 3;
                    var r2 = 2 * Math.Cbrt(r1);
                    double[] roots =
                    [
                        -((Math.Cos(phi) * r2) - (a2 / 3)),
                    -((Math.Cos(phi + (2 * Math.PI / 3)) * r2) - (a2 / 3)),
                    -((Math.Cos(phi + (4 * Math.PI / 3)) * r2) - (a2 / 3)),
                ];
                    Array.Sort(roots);
                    Array.Reverse(roots);
                    for (var i = 0; i < 3; i++)
                    {
                        roots[i] = Polish(roots[i], a0, a1, a2);
                    }
                    return roots;
                }
        }
    }

    /// <summary>Two Newton steps on the cubic: the trigonometric formula loses digits on the smallest root.</summary>
    private static double Polish(double x, double a0, double a1, double a2)
    {
        for (var i = 0; i < 2; i++)
        {
            var f = (((x - a2) * x) + a1) * x - a0;
            var df = (((3 * x) - (2 * a2)) * x) + a1;
            if (df == 0)
            {
                break;
            }
            x -= f / df;
        }
        return x;
    }
}
