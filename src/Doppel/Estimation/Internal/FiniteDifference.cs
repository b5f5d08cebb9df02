namespace Doppel.Estimation.Internal;

/// <summary>Central-difference Jacobians for models that do not give their own.</summary>
internal static class FiniteDifference
{
    // The cube root of machine epsilon balances truncation against rounding error for central differences.
    private static readonly double Epsilon = Math.Cbrt(2.220446049250313e-16);

    /// <summary>Writes ∂g_i/∂x_j row-major into <paramref name="jacobian"/> (rows = outputs).</summary>
    public static void Jacobian(Action<double[], double[]> g, ReadOnlySpan<double> x, int outputs, Span<double> jacobian)
    {
        var n = x.Length;
        var probe = x.ToArray();
        var plus = new double[outputs];
        var minus = new double[outputs];
        for (var j = 0; j < n; j++)
        {
            var h = Epsilon * Math.Max(Math.Abs(x[j]), 1);
            probe[j] = x[j] + h;
            g(probe, plus);
            probe[j] = x[j] - h;
            g(probe, minus);
            probe[j] = x[j];
            for (var i = 0; i < outputs; i++)
            {
                jacobian[(i * n) + j] = (plus[i] - minus[i]) / (2 * h);
            }
        }
    }
}
