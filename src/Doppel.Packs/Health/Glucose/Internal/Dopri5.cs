namespace Doppel.Packs.Health.Glucose.Internal;

/// <summary>A right-hand side dy/dx = f(x, y), as a struct so that the solver's inner loop inlines it.</summary>
internal interface IOdeRhs
{
    void Evaluate(double x, ReadOnlySpan<double> y, Span<double> dy);
}

/// <summary>
/// Hairer and Wanner's DOPRI5 (the Fortran code scipy's <c>ode(...).set_integrator("dopri5")</c> wraps), ported step
/// for step with scipy's settings: scalar rtol 1e-6 and atol 1e-12, at most 500 steps a call, safety 0.9, step ratio in
/// [0.2, 10], β = 0.04 (scipy passes 0, which the Fortran reads as its default), no dense output. As scipy keeps its work
/// array between calls, the step size predicted by the last accepted step is where the next call starts; only the very
/// first call uses the HINIT heuristic. The kernel's Dormand–Prince solver controls its step differently, which moves
/// results by about the tolerance; this port gives simglucose's numbers to the last bits.
/// </summary>
internal sealed class Dopri5
{
    private const double C2 = 0.2, C3 = 0.3, C4 = 0.8, C5 = 8.0 / 9.0;
    private const double A21 = 0.2, A31 = 3.0 / 40.0, A32 = 9.0 / 40.0;
    private const double A41 = 44.0 / 45.0, A42 = -56.0 / 15.0, A43 = 32.0 / 9.0;
    private const double A51 = 19372.0 / 6561.0, A52 = -25360.0 / 2187.0, A53 = 64448.0 / 6561.0, A54 = -212.0 / 729.0;
    private const double A61 = 9017.0 / 3168.0, A62 = -355.0 / 33.0, A63 = 46732.0 / 5247.0, A64 = 49.0 / 176.0, A65 = -5103.0 / 18656.0;
    private const double A71 = 35.0 / 384.0, A73 = 500.0 / 1113.0, A74 = 125.0 / 192.0, A75 = -2187.0 / 6784.0, A76 = 11.0 / 84.0;
    private const double E1 = 71.0 / 57600.0, E3 = -71.0 / 16695.0, E4 = 71.0 / 1920.0, E5 = -17253.0 / 339200.0, E6 = 22.0 / 525.0, E7 = -1.0 / 40.0;
    private const double Uround = 2.3e-16, Safe = 0.9, Fac1 = 0.2, Fac2 = 10.0, Beta = 0.04;
    private const int MaxSteps = 500;

    private readonly int _n;
    private readonly double _rtol;
    private readonly double _atol;
    private readonly double[] _y1, _k1, _k2, _k3, _k4, _k5, _k6, _ysti;

    public Dopri5(int n, double rtol = 1e-6, double atol = 1e-12)
    {
        _n = n;
        _rtol = rtol;
        _atol = atol;
        _y1 = new double[n];
        _k1 = new double[n];
        _k2 = new double[n];
        _k3 = new double[n];
        _k4 = new double[n];
        _k5 = new double[n];
        _k6 = new double[n];
        _ysti = new double[n];
    }

    /// <summary>The step size the next call starts from (scipy's <c>work[6]</c>); 0 before the first call.</summary>
    public double StepSize { get; set; }

    /// <summary>Integrates <paramref name="y"/> in place from <paramref name="x"/> to <paramref name="xend"/>; returns DOPRI5's IDID (1 is success).</summary>
    public int Integrate<TRhs>(ref TRhs f, double x, Span<double> y, double xend)
        where TRhs : struct, IOdeRhs
    {
        var n = _n;
        Span<double> y1 = _y1, k1 = _k1, k2 = _k2, k3 = _k3, k4 = _k4, k5 = _k5, k6 = _k6, ysti = _ysti;
        var hmax = Math.Abs(xend - x);
        var h = StepSize;
        var facold = 1e-4;
        var expo1 = 0.2 - Beta * 0.75;
        var facc1 = 1.0 / Fac1;
        var facc2 = 1.0 / Fac2;
        var posneg = Math.CopySign(1.0, xend - x);
        var last = false;
        var reject = false;
        var nstep = 0;
        var naccpt = 0;

        f.Evaluate(x, y, k1);
        if (h == 0)
        {
            h = InitialStep(ref f, x, y, posneg, k1, k2, k3, hmax);
        }

        while (true)
        {
            if (nstep > MaxSteps)
            {
                StepSize = h;
                return -2;
            }
            if (0.1 * Math.Abs(h) <= Math.Abs(x) * Uround)
            {
                StepSize = h;
                return -3;
            }
            if ((x + 1.01 * h - xend) * posneg > 0)
            {
                h = xend - x;
                last = true;
            }
            nstep++;

            for (var i = 0; i < n; i++)
            {
                y1[i] = y[i] + h * A21 * k1[i];
            }
            f.Evaluate(x + C2 * h, y1, k2);
            for (var i = 0; i < n; i++)
            {
                y1[i] = y[i] + h * (A31 * k1[i] + A32 * k2[i]);
            }
            f.Evaluate(x + C3 * h, y1, k3);
            for (var i = 0; i < n; i++)
            {
                y1[i] = y[i] + h * (A41 * k1[i] + A42 * k2[i] + A43 * k3[i]);
            }
            f.Evaluate(x + C4 * h, y1, k4);
            for (var i = 0; i < n; i++)
            {
                y1[i] = y[i] + h * (A51 * k1[i] + A52 * k2[i] + A53 * k3[i] + A54 * k4[i]);
            }
            f.Evaluate(x + C5 * h, y1, k5);
            for (var i = 0; i < n; i++)
            {
                ysti[i] = y[i] + h * (A61 * k1[i] + A62 * k2[i] + A63 * k3[i] + A64 * k4[i] + A65 * k5[i]);
            }
            var xph = x + h;
            f.Evaluate(xph, ysti, k6);
            for (var i = 0; i < n; i++)
            {
                y1[i] = y[i] + h * (A71 * k1[i] + A73 * k3[i] + A74 * k4[i] + A75 * k5[i] + A76 * k6[i]);
            }
            f.Evaluate(xph, y1, k2);
            for (var i = 0; i < n; i++)
            {
                k4[i] = (E1 * k1[i] + E3 * k3[i] + E4 * k4[i] + E5 * k5[i] + E6 * k6[i] + E7 * k2[i]) * h;
            }

            var err = 0.0;
            for (var i = 0; i < n; i++)
            {
                var sk = _atol + _rtol * Math.Max(Math.Abs(y[i]), Math.Abs(y1[i]));
                var e = k4[i] / sk;
                err += e * e;
            }
            err = Math.Sqrt(err / n);

            var fac11 = Math.Pow(err, expo1);
            var fac = fac11 / Math.Pow(facold, Beta);
            fac = Math.Max(facc2, Math.Min(facc1, fac / Safe));
            var hnew = h / fac;
            if (err <= 1.0)
            {
                facold = Math.Max(err, 1e-4);
                naccpt++;
                k2.CopyTo(k1);
                y1.CopyTo(y);
                x = xph;
                if (last)
                {
                    StepSize = hnew;
                    return 1;
                }
                if (Math.Abs(hnew) > hmax)
                {
                    hnew = posneg * hmax;
                }
                if (reject)
                {
                    hnew = posneg * Math.Min(Math.Abs(hnew), Math.Abs(h));
                }
                reject = false;
            }
            else
            {
                hnew = h / Math.Min(facc1, fac11 / Safe);
                reject = true;
                last = false;
            }
            h = hnew;
        }
    }

    /// <summary>DOPRI5's HINIT: an initial step from the norms of y, f(y) and an estimate of the second derivative.</summary>
    private double InitialStep<TRhs>(ref TRhs f, double x, ReadOnlySpan<double> y, double posneg, ReadOnlySpan<double> f0, Span<double> f1, Span<double> y1, double hmax)
        where TRhs : struct, IOdeRhs
    {
        const int iord = 5;
        var dnf = 0.0;
        var dny = 0.0;
        for (var i = 0; i < _n; i++)
        {
            var sk = _atol + _rtol * Math.Abs(y[i]);
            var a = f0[i] / sk;
            var b = y[i] / sk;
            dnf += a * a;
            dny += b * b;
        }
        var h = dnf <= 1e-10 || dny <= 1e-10 ? 1e-6 : Math.Sqrt(dny / dnf) * 0.01;
        h = Math.Min(h, hmax);
        h = Math.CopySign(h, posneg);
        for (var i = 0; i < _n; i++)
        {
            y1[i] = y[i] + h * f0[i];
        }
        f.Evaluate(x + h, y1, f1);
        var der2 = 0.0;
        for (var i = 0; i < _n; i++)
        {
            var sk = _atol + _rtol * Math.Abs(y[i]);
            var a = (f1[i] - f0[i]) / sk;
            der2 += a * a;
        }
        der2 = Math.Sqrt(der2) / h;
        var der12 = Math.Max(Math.Abs(der2), Math.Sqrt(dnf));
        var h1 = der12 <= 1e-15 ? Math.Max(1e-6, Math.Abs(h) * 1e-3) : Math.Pow(0.01 / der12, 1.0 / iord);
        h = Math.Min(Math.Min(100 * Math.Abs(h), h1), hmax);
        return Math.CopySign(h, posneg);
    }
}
