namespace Doppel.Simulation.Optimization.Internal;

/// <summary>
/// Eigendecomposition of a small symmetric matrix by cyclic Jacobi rotations (Golub and Van Loan, Matrix Computations,
/// §8.5), accurate to working precision; enough for the covariance matrices of CMA-ES, whose size is the search's dimension.
/// </summary>
internal static class SymmetricEigen
{
    private const int MaxSweeps = 64;

    /// <summary>
    /// Decomposes the symmetric n×n row-major <paramref name="matrix"/> (only its upper triangle is read) so that
    /// matrix = V·diag(values)·Vᵀ, with the orthonormal eigenvectors as the columns of <paramref name="vectors"/> (row-major).
    /// </summary>
    public static void Decompose(ReadOnlySpan<double> matrix, int n, Span<double> values, Span<double> vectors)
    {
        var a = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = i; j < n; j++)
            {
                a[(i * n) + j] = a[(j * n) + i] = matrix[(i * n) + j];
            }
        }
        vectors[..(n * n)].Clear();
        for (var i = 0; i < n; i++)
        {
            vectors[(i * n) + i] = 1;
        }
        for (var sweep = 0; sweep < MaxSweeps; sweep++)
        {
            double off = 0, diagonal = 0;
            for (var p = 0; p < n; p++)
            {
                diagonal += a[(p * n) + p] * a[(p * n) + p];
                for (var q = p + 1; q < n; q++)
                {
                    off += a[(p * n) + q] * a[(p * n) + q];
                }
            }
            // Converged when the off-diagonal part is below rounding of the diagonal (quadratic convergence gets here fast).
            if (off <= 1e-32 * diagonal || off == 0)
            {
                break;
            }
            for (var p = 0; p < n - 1; p++)
            {
                for (var q = p + 1; q < n; q++)
                {
                    Rotate(a, vectors, n, p, q);
                }
            }
        }
        for (var i = 0; i < n; i++)
        {
            values[i] = a[(i * n) + i];
        }
    }

    // One rotation A ← JᵀAJ in the (p, q) plane that zeroes a[p, q], with the smaller of the two angles (Rutishauser).
    private static void Rotate(double[] a, Span<double> v, int n, int p, int q)
    {
        var apq = a[(p * n) + q];
        if (apq == 0)
        {
            return;
        }
        var theta = (a[(q * n) + q] - a[(p * n) + p]) / (2 * apq);
        var t = Math.Abs(theta) > 1e150 ? 0.5 / theta : Math.CopySign(1, theta) / (Math.Abs(theta) + Math.Sqrt((theta * theta) + 1));
        var c = 1 / Math.Sqrt((t * t) + 1);
        var s = t * c;
        for (var k = 0; k < n; k++)
        {
            var akp = a[(k * n) + p];
            var akq = a[(k * n) + q];
            a[(k * n) + p] = (c * akp) - (s * akq);
            a[(k * n) + q] = (s * akp) + (c * akq);
        }
        for (var k = 0; k < n; k++)
        {
            var apk = a[(p * n) + k];
            var aqk = a[(q * n) + k];
            a[(p * n) + k] = (c * apk) - (s * aqk);
            a[(q * n) + k] = (s * apk) + (c * aqk);
        }
        for (var k = 0; k < n; k++)
        {
            var vkp = v[(k * n) + p];
            var vkq = v[(k * n) + q];
            v[(k * n) + p] = (c * vkp) - (s * vkq);
            v[(k * n) + q] = (s * vkp) + (c * vkq);
        }
    }
}
