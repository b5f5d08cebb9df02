namespace Doppel.Simulation.Continuous.Internal;

/// <summary>LU decomposition with partial pivoting of a small dense row-major matrix, in place.</summary>
internal static class DenseLu
{
    /// <summary>Factors <paramref name="a"/> (n×n) into L·U with row swaps in <paramref name="pivots"/>; false if singular.</summary>
    public static bool Factor(Span<double> a, int n, Span<int> pivots)
    {
        for (var k = 0; k < n; k++)
        {
            var p = k;
            var max = Math.Abs(a[(k * n) + k]);
            for (var i = k + 1; i < n; i++)
            {
                var v = Math.Abs(a[(i * n) + k]);
                if (v > max)
                {
                    max = v;
                    p = i;
                }
            }
            pivots[k] = p;
            if (max == 0 || !double.IsFinite(max))
            {
                return false;
            }
            if (p != k)
            {
                for (var j = 0; j < n; j++)
                {
                    (a[(k * n) + j], a[(p * n) + j]) = (a[(p * n) + j], a[(k * n) + j]);
                }
            }
            var pivot = a[(k * n) + k];
            for (var i = k + 1; i < n; i++)
            {
                var m = a[(i * n) + k] / pivot;
                a[(i * n) + k] = m;
                if (m == 0)
                {
                    continue;
                }
                for (var j = k + 1; j < n; j++)
                {
                    a[(i * n) + j] -= m * a[(k * n) + j];
                }
            }
        }
        return true;
    }

    /// <summary>Solves A·x = b in place with the factors from <see cref="Factor"/>.</summary>
    public static void Solve(ReadOnlySpan<double> lu, int n, ReadOnlySpan<int> pivots, Span<double> b)
    {
        for (var k = 0; k < n; k++)
        {
            var p = pivots[k];
            if (p != k)
            {
                (b[k], b[p]) = (b[p], b[k]);
            }
        }
        for (var i = 1; i < n; i++)
        {
            var s = b[i];
            for (var j = 0; j < i; j++)
            {
                s -= lu[(i * n) + j] * b[j];
            }
            b[i] = s;
        }
        for (var i = n - 1; i >= 0; i--)
        {
            var s = b[i];
            for (var j = i + 1; j < n; j++)
            {
                s -= lu[(i * n) + j] * b[j];
            }
            b[i] = s / lu[(i * n) + i];
        }
    }
}
