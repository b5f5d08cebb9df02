using Doppel.Simulation.Continuous;

namespace Doppel.Tests.Simulation.Continuous;

/// <summary>Test problems with their closed-form or published reference solutions.</summary>
internal static class Problems
{
    public const double DecayRate = 0.7;
    public const double Omega = 2.5;
    public const double GrowthRate = 1.3, Capacity = 10, LogisticStart = 0.5;

    /// <summary>y' = −k y, y(0) = 1; y = e^(−kt).</summary>
    public static OdeProblem Decay() => new((_, y, dy) => dy[0] = -DecayRate * y[0], 0, [1.0]);

    public static double[] DecayAt(double t) => [Math.Exp(-DecayRate * t)];

    /// <summary>y'' = −ω² y as a first-order system, y(0) = 1, y'(0) = 0; y = cos ωt.</summary>
    public static OdeProblem Oscillator() => new(
        (_, y, dy) =>
        {
            dy[0] = y[1];
            dy[1] = -Omega * Omega * y[0];
        },
        0,
        [1.0, 0.0]);

    public static double[] OscillatorAt(double t) => [Math.Cos(Omega * t), -Omega * Math.Sin(Omega * t)];

    /// <summary>
    /// y' = A y with A = [[−α, ω, 1], [−ω, −α, 0], [0, 0, −β]]: a damped rotation driven by a decaying third
    /// component. The matrix exponential is written out in <see cref="LinearAt"/>.
    /// </summary>
    public static OdeProblem Linear() => new(
        (_, y, dy) =>
        {
            dy[0] = (-LinearAlpha * y[0]) + (LinearOmega * y[1]) + y[2];
            dy[1] = (-LinearOmega * y[0]) - (LinearAlpha * y[1]);
            dy[2] = -LinearBeta * y[2];
        },
        0,
        [1.0, 0.5, 2.0])
    {
        Jacobian = (_, _, j) =>
        {
            j.Clear();
            j[0] = -LinearAlpha; j[1] = LinearOmega; j[2] = 1;
            j[3] = -LinearOmega; j[4] = -LinearAlpha;
            j[8] = -LinearBeta;
        },
    };

    public const double LinearAlpha = 0.3, LinearOmega = 2, LinearBeta = 1.1;

    /// <summary>
    /// e^(At) y0. With R(t) = e^(−αt)[[cos ωt, sin ωt], [−sin ωt, cos ωt]], the forced part is
    /// ∫₀ᵗ R(t − s) e₁ z0 e^(−βs) ds = z0 e^(−αt) ∫₀ᵗ e^((α−β)s) (cos ω(t−s), −sin ω(t−s)) ds, integrated in closed form.
    /// </summary>
    public static double[] LinearAt(double t)
    {
        const double x0 = 1.0, y0 = 0.5, z0 = 2.0;
        var decay = Math.Exp(-LinearAlpha * t);
        var (c, s) = (Math.Cos(LinearOmega * t), Math.Sin(LinearOmega * t));
        var x = decay * ((c * x0) + (s * y0));
        var y = decay * ((-s * x0) + (c * y0));
        // ∫₀ᵗ e^(λs) e^(iω(t−s)) ds = e^(iωt) (e^((λ−iω)t) − 1) / (λ − iω), with λ = α − β; take real and −imaginary parts.
        var lambda = LinearAlpha - LinearBeta;
        var integral = System.Numerics.Complex.Exp(new System.Numerics.Complex(0, LinearOmega * t))
            * (System.Numerics.Complex.Exp(new System.Numerics.Complex(lambda, -LinearOmega) * t) - 1)
            / new System.Numerics.Complex(lambda, -LinearOmega);
        x += z0 * decay * integral.Real;
        y += z0 * decay * -integral.Imaginary;
        return [x, y, z0 * Math.Exp(-LinearBeta * t)];
    }

    /// <summary>y' = r y (1 − y/K); y = K / (1 + (K/y0 − 1) e^(−rt)).</summary>
    public static OdeProblem Logistic() => new((_, y, dy) => dy[0] = GrowthRate * y[0] * (1 - (y[0] / Capacity)), 0, [LogisticStart]);

    public static double[] LogisticAt(double t) => [Capacity / (1 + ((Capacity / LogisticStart) - 1) * Math.Exp(-GrowthRate * t))];

    /// <summary>Robertson's chemical kinetics (Robertson 1966), the classic stiff test (Hairer &amp; Wanner, II, IV.1).</summary>
    public static OdeProblem Robertson() => new(
        (_, y, dy) =>
        {
            dy[0] = (-0.04 * y[0]) + (1e4 * y[1] * y[2]);
            dy[2] = 3e7 * y[1] * y[1];
            dy[1] = -dy[0] - dy[2];
        },
        0,
        [1.0, 0.0, 0.0])
    {
        Jacobian = (_, y, j) =>
        {
            j[0] = -0.04; j[1] = 1e4 * y[2]; j[2] = 1e4 * y[1];
            j[3] = 0.04; j[4] = (-1e4 * y[2]) - (6e7 * y[1]); j[5] = -1e4 * y[1];
            j[6] = 0; j[7] = 6e7 * y[1]; j[8] = 0;
        },
    };

    /// <summary>y(40) from Hairer &amp; Wanner, Solving ODEs II (2nd ed.), IV.10.</summary>
    public static readonly double[] RobertsonAt40 = [0.7158270687, 9.185534764e-6, 0.2841637457];

    /// <summary>y(1e11) from the Bari Test Set for IVP Solvers (Mazzia &amp; Magherini), problem ROBER.</summary>
    public static readonly double[] RobertsonAt1e11 = [0.2083340149701255e-7, 0.8333360770334713e-13, 0.9999999791665050];

    /// <summary>
    /// Van der Pol in Hairer's scaled time, y1' = y2, y2' = ((1 − y1²) y2 − y1)/ε with ε = 1e-6: the oscillator with
    /// μ = 1000 after t → t/μ. Reference y(2) from the Test Set for IVP Solvers, problem VDPOL.
    /// </summary>
    public static OdeProblem VanDerPol() => new(
        (_, y, dy) =>
        {
            dy[0] = y[1];
            dy[1] = (((1 - (y[0] * y[0])) * y[1]) - y[0]) / 1e-6;
        },
        0,
        [2.0, 0.0]);

    public static readonly double[] VanDerPolAt2 = [0.1706167732170483e1, -0.8928097010247975e0];

    /// <summary>‖actual − expected‖₂ / ‖expected‖₂.</summary>
    public static double RelativeError(ReadOnlySpan<double> actual, ReadOnlySpan<double> expected)
    {
        double difference = 0, norm = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            difference += (actual[i] - expected[i]) * (actual[i] - expected[i]);
            norm += expected[i] * expected[i];
        }
        return Math.Sqrt(difference / norm);
    }

    /// <summary>Integrates to <paramref name="tEnd"/> and asserts that the solver got there.</summary>
    public static double[] Solve(OdeSolver solver, double tEnd)
    {
        var result = solver.IntegrateTo(tEnd);
        Assert.Equal(OdeStatus.ReachedEnd, result.Status);
        Assert.Equal(tEnd, solver.Time);
        return solver.State.ToArray();
    }
}
