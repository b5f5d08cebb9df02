namespace Doppel.Simulation.Continuous.Internal;

/// <summary>
/// The starting step size estimate of Hairer's codes (Solving ODEs I, II.4, "Starting step size"): make the explicit
/// Euler step's local error about 0.01 in the tolerance scale for a method of the given order.
/// </summary>
internal static class InitialStep
{
    public static double Estimate(
        OdeFunction f, double t, ReadOnlySpan<double> y, ReadOnlySpan<double> f0, int order,
        OdeOptions options, double span, Span<double> y1, Span<double> f1)
    {
        double dnf = 0, dny = 0;
        for (var i = 0; i < y.Length; i++)
        {
            var sk = options.AbsoluteTolerance + (options.RelativeTolerance * Math.Abs(y[i]));
            dnf += (f0[i] / sk) * (f0[i] / sk);
            dny += (y[i] / sk) * (y[i] / sk);
        }
        var h = dnf <= 1e-10 || dny <= 1e-10 ? 1e-6 : Math.Sqrt(dny / dnf) * 0.01;
        h = Math.Min(Math.Min(h, options.MaxStep), span);
        for (var i = 0; i < y.Length; i++)
        {
            y1[i] = y[i] + (h * f0[i]);
        }
        f(t + h, y1, f1);
        var der2 = 0.0;
        for (var i = 0; i < y.Length; i++)
        {
            var sk = options.AbsoluteTolerance + (options.RelativeTolerance * Math.Abs(y[i]));
            var d = (f1[i] - f0[i]) / sk;
            der2 += d * d;
        }
        der2 = Math.Sqrt(der2) / h;
        var der12 = Math.Max(Math.Abs(der2), Math.Sqrt(dnf));
        var h1 = der12 <= 1e-15 ? Math.Max(1e-6, h * 1e-3) : Math.Pow(0.01 / der12, 1.0 / order);
        return Math.Min(Math.Min(100 * h, h1), Math.Min(options.MaxStep, span));
    }
}
