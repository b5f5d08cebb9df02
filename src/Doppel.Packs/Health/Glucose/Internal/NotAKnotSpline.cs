namespace Doppel.Packs.Health.Glucose.Internal;

/// <summary>
/// The weights of a cubic spline with not-a-knot ends (scipy's <c>interp1d(kind='cubic')</c>) through equally spaced
/// knots, evaluated at fixed points: value(t_j) = Σ_i W[j, i] y_i. The spline is linear in y, so interpolating the unit
/// vectors once gives the weights, and each new noise sequence is a small matrix product.
/// </summary>
internal static class NotAKnotSpline
{
    public static double[,] Weights(int knots, double spacing, ReadOnlySpan<double> at)
    {
        var weights = new double[at.Length, knots];
        var y = new double[knots];
        for (var k = 0; k < knots; k++)
        {
            Array.Clear(y);
            y[k] = 1;
            var m = SecondDerivatives(y, spacing);
            for (var j = 0; j < at.Length; j++)
            {
                weights[j, k] = Evaluate(y, m, spacing, at[j]);
            }
        }
        return weights;
    }

    /// <summary>The spline's second derivatives at the knots: the interior continuity equations plus not-a-knot (a continuous third derivative at the second and the last-but-one knot).</summary>
    private static double[] SecondDerivatives(double[] y, double h)
    {
        var n = y.Length;
        var a = new double[n, n];
        var r = new double[n];
        a[0, 0] = 1;
        a[0, 1] = -2;
        a[0, 2] = 1;
        for (var i = 1; i < n - 1; i++)
        {
            a[i, i - 1] = h / 6;
            a[i, i] = 2 * h / 3;
            a[i, i + 1] = h / 6;
            r[i] = (y[i + 1] - 2 * y[i] + y[i - 1]) / h;
        }
        a[n - 1, n - 3] = 1;
        a[n - 1, n - 2] = -2;
        a[n - 1, n - 1] = 1;
        return Solve(a, r);
    }

    private static double Evaluate(double[] y, double[] m, double h, double t)
    {
        var i = Math.Min((int)Math.Floor(t / h), y.Length - 2);
        var left = t - i * h;
        var right = (i + 1) * h - t;
        return m[i] * right * right * right / (6 * h) + m[i + 1] * left * left * left / (6 * h)
            + (y[i] / h - m[i] * h / 6) * right + (y[i + 1] / h - m[i + 1] * h / 6) * left;
    }

    private static double[] Solve(double[,] a, double[] b)
    {
        var n = b.Length;
        for (var col = 0; col < n; col++)
        {
            var pivot = col;
            for (var row = col + 1; row < n; row++)
            {
                if (Math.Abs(a[row, col]) > Math.Abs(a[pivot, col]))
                {
                    pivot = row;
                }
            }
            if (pivot != col)
            {
                for (var k = 0; k < n; k++)
                {
                    (a[col, k], a[pivot, k]) = (a[pivot, k], a[col, k]);
                }
                (b[col], b[pivot]) = (b[pivot], b[col]);
            }
            for (var row = col + 1; row < n; row++)
            {
                var factor = a[row, col] / a[col, col];
                if (factor == 0)
                {
                    continue;
                }
                for (var k = col; k < n; k++)
                {
                    a[row, k] -= factor * a[col, k];
                }
                b[row] -= factor * b[col];
            }
        }
        var x = new double[n];
        for (var row = n - 1; row >= 0; row--)
        {
            var sum = b[row];
            for (var k = row + 1; k < n; k++)
            {
                sum -= a[row, k] * x[k];
            }
            x[row] = sum / a[row, row];
        }
        return x;
    }
}
