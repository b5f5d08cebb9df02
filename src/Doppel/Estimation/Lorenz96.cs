namespace Doppel.Estimation;

/// <summary>
/// The Lorenz-96 model dx_i/dt = (x_{i+1} − x_{i−2}) x_{i−1} − x_i + F on a ring: a 1-D emulator of chaotic
/// atmospheric flow and the standard test of ensemble filters.
/// </summary>
public static class Lorenz96
{
    /// <summary>The forcing that makes the model chaotic, F = 8.</summary>
    public const double Force = 8;

    /// <summary>dx/dt for forcing <paramref name="force"/>.</summary>
    public static void Derivatives(ReadOnlySpan<double> x, Span<double> dxdt, double force = Force)
    {
        var n = x.Length;
        for (var i = 0; i < n; i++)
        {
            var plus = x[i + 1 < n ? i + 1 : i + 1 - n];
            var minus1 = x[i >= 1 ? i - 1 : i - 1 + n];
            var minus2 = x[i >= 2 ? i - 2 : i - 2 + n];
            dxdt[i] = ((plus - minus2) * minus1) - x[i] + force;
        }
    }

    /// <summary>The model stepped by RK4 with step <paramref name="step"/>, every site observed with variance <paramref name="observationVariance"/>.</summary>
    public static StateSpaceModel Model(int size = 40, double force = Force, double step = 0.05, double observationVariance = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 4);
        var noise = new double[size, size];
        for (var i = 0; i < size; i++)
        {
            noise[i, i] = observationVariance;
        }
        return StateSpaceModel.FromOde((_, x, dxdt) => Derivatives(x, dxdt, force), size, (_, x, y) => x.CopyTo(y), size, noise, OdeDiscretisation.Rk4(step));
    }

    /// <summary>
    /// DAPPER's <c>Lorenz96/sakov2008.py</c> (Sakov and Oke 2008): 40 sites, F = 8, Δt = 0.05, every site observed
    /// at every step with R = I, initial N(e₁, 0.001 I), burn-in 20 time units, 1,000 observations by default.
    /// </summary>
    public static TwinExperiment Sakov2008(int observations = 1000)
    {
        const int size = 40;
        var mean = new double[size];
        mean[0] = 1;
        var covariance = new double[size, size];
        for (var i = 0; i < size; i++)
        {
            covariance[i, i] = 0.001;
        }
        return new TwinExperiment("Lorenz-96 (sakov2008)", Model(size), mean, covariance, 0.05, 1, observations, BurnIn: 20);
    }
}
