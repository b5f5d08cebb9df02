namespace Doppel.Estimation;

/// <summary>The Lorenz-63 convection model (σ = 10, ρ = 28, β = 8/3): three variables, strongly nonlinear.</summary>
public static class Lorenz63
{
    /// <summary>dx/dt at (x, y, z).</summary>
    public static void Derivatives(ReadOnlySpan<double> s, Span<double> dsdt)
    {
        const double sigma = 10, rho = 28, beta = 8.0 / 3;
        dsdt[0] = sigma * (s[1] - s[0]);
        dsdt[1] = (rho * s[0]) - s[1] - (s[0] * s[2]);
        dsdt[2] = (s[0] * s[1]) - (beta * s[2]);
    }

    /// <summary>The model stepped by RK4 with step <paramref name="step"/>, all three variables observed with variance <paramref name="observationVariance"/>.</summary>
    public static StateSpaceModel Model(double step = 0.01, double observationVariance = 2)
    {
        var noise = new double[3, 3];
        for (var i = 0; i < 3; i++)
        {
            noise[i, i] = observationVariance;
        }
        return StateSpaceModel.FromOde((_, x, dxdt) => Derivatives(x, dxdt), 3, (_, x, y) => x.CopyTo(y), 3, noise, OdeDiscretisation.Rk4(step));
    }

    /// <summary>
    /// DAPPER's <c>Lorenz63/sakov2012.py</c> (Sakov, Oliver and Bertino 2012): Δt = 0.01, an observation of all three
    /// variables every 25 steps with R = 2I, initial N((1.509, −1.531, 25.46), 2I), burn-in 16 time units.
    /// </summary>
    public static TwinExperiment Sakov2012(int observations = 1000)
    {
        var covariance = new double[3, 3];
        for (var i = 0; i < 3; i++)
        {
            covariance[i, i] = 2;
        }
        return new TwinExperiment("Lorenz-63 (sakov2012)", Model(), [1.509, -1.531, 25.46], covariance, 0.01, 25, observations, BurnIn: 16);
    }
}
