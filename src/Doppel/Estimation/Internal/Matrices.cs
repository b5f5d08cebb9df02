using MathNet.Numerics.LinearAlgebra;

namespace Doppel.Estimation.Internal;

/// <summary>Checks and factorisations shared by the filters (MathNet dense matrices inside, double[,] at the API).</summary>
internal static class Matrices
{
    public static MatrixBuilder<double> M => Matrix<double>.Build;

    public static VectorBuilder<double> V => Vector<double>.Build;

    public static void CheckVector(double[]? vector, int size, string what, string paramName)
    {
        if (vector is null)
        {
            throw new ArgumentNullException(paramName, $"{what} is missing.");
        }
        if (vector.Length != size)
        {
            throw new ArgumentException($"{what} has {vector.Length} components; the model has {size}.", paramName);
        }
        for (var i = 0; i < vector.Length; i++)
        {
            if (!double.IsFinite(vector[i]))
            {
                throw new ArgumentException($"{what} has a non-finite value at index {i}.", paramName);
            }
        }
    }

    /// <summary>Throws unless <paramref name="c"/> is size × size, finite, symmetric and positive (semi-)definite.</summary>
    public static void CheckCovariance(double[,]? c, int size, string what, string paramName, bool semiDefinite)
    {
        if (c is null)
        {
            throw new ArgumentNullException(paramName, $"{what} is missing.");
        }
        if (c.GetLength(0) != size || c.GetLength(1) != size)
        {
            throw new ArgumentException($"{what} is {c.GetLength(0)} × {c.GetLength(1)}; it must be {size} × {size}.", paramName);
        }
        for (var i = 0; i < size; i++)
        {
            for (var j = 0; j < size; j++)
            {
                if (!double.IsFinite(c[i, j]))
                {
                    throw new ArgumentException($"{what} has a non-finite entry at ({i}, {j}).", paramName);
                }
                if (j > i && Math.Abs(c[i, j] - c[j, i]) > 1e-9 * Math.Max(1, Math.Max(Math.Abs(c[i, j]), Math.Abs(c[j, i]))))
                {
                    throw new ArgumentException($"{what} is not symmetric: ({i}, {j}) = {c[i, j]} but ({j}, {i}) = {c[j, i]}.", paramName);
                }
            }
        }
        var evd = M.DenseOfArray(c).Evd(Symmetricity.Symmetric);
        var smallest = double.PositiveInfinity;
        var largest = 0.0;
        foreach (var e in evd.EigenValues)
        {
            smallest = Math.Min(smallest, e.Real);
            largest = Math.Max(largest, Math.Abs(e.Real));
        }
        var floor = -1e-10 * Math.Max(largest, 1e-300);
        if (semiDefinite ? smallest < floor : !(smallest > Math.Abs(floor)))
        {
            throw new ArgumentException(
                $"{what} must be positive {(semiDefinite ? "semi-definite" : "definite")}; its smallest eigenvalue is {smallest:G4}.", paramName);
        }
    }

    /// <summary>A lower factor L with L Lᵀ = P: Cholesky, or the symmetric square root when P is only semi-definite.</summary>
    public static Matrix<double> Factor(Matrix<double> p)
    {
        try
        {
            var chol = p.Cholesky();
            var l = chol.Factor;
            if (IsFinite(l))
            {
                return l;
            }
        }
        catch (ArgumentException)
        {
            // Not positive definite (a singular or rounding-indefinite covariance): fall through to eigen.
        }
        var evd = p.Evd(Symmetricity.Symmetric);
        var vectors = evd.EigenVectors;
        var root = M.Dense(p.RowCount, p.ColumnCount);
        for (var k = 0; k < p.RowCount; k++)
        {
            var s = Math.Sqrt(Math.Max(evd.EigenValues[k].Real, 0));
            for (var i = 0; i < p.RowCount; i++)
            {
                root[i, k] = vectors[i, k] * s;
            }
        }
        return root;
    }

    public static bool IsFinite(Matrix<double> m)
    {
        foreach (var v in m.Enumerate())
        {
            if (!double.IsFinite(v))
            {
                return false;
            }
        }
        return true;
    }

    public static void Symmetrize(Matrix<double> p)
    {
        for (var i = 0; i < p.RowCount; i++)
        {
            for (var j = i + 1; j < p.ColumnCount; j++)
            {
                var v = 0.5 * (p[i, j] + p[j, i]);
                p[i, j] = v;
                p[j, i] = v;
            }
        }
    }

    /// <summary>The indices of the observation's present (non-NaN) entries; ±∞ is an error, not a missing value.</summary>
    public static int[] Present(ReadOnlySpan<double> y, int size, string paramName)
    {
        if (y.Length != size)
        {
            throw new ArgumentException($"The observation has {y.Length} components; the model observes {size}.", paramName);
        }
        var count = 0;
        for (var i = 0; i < y.Length; i++)
        {
            if (double.IsInfinity(y[i]))
            {
                throw new ArgumentException($"The observation is infinite at index {i} (NaN marks a missing entry).", paramName);
            }
            if (!double.IsNaN(y[i]))
            {
                count++;
            }
        }
        var present = new int[count];
        count = 0;
        for (var i = 0; i < y.Length; i++)
        {
            if (!double.IsNaN(y[i]))
            {
                present[count++] = i;
            }
        }
        return present;
    }

    /// <summary>R restricted to the present entries.</summary>
    public static Matrix<double> Sub(double[,] r, int[] present)
    {
        var s = M.Dense(present.Length, present.Length);
        for (var i = 0; i < present.Length; i++)
        {
            for (var j = 0; j < present.Length; j++)
            {
                s[i, j] = r[present[i], present[j]];
            }
        }
        return s;
    }

    /// <summary>The present entries of an observation as a vector.</summary>
    public static Vector<double> Gather(ReadOnlySpan<double> y, int[] present)
    {
        var v = V.Dense(present.Length);
        for (var i = 0; i < present.Length; i++)
        {
            v[i] = y[present[i]];
        }
        return v;
    }

    public static void CheckFinite(ReadOnlySpan<double> x, string what)
    {
        foreach (var v in x)
        {
            if (!double.IsFinite(v))
            {
                throw new InvalidOperationException($"{what} returned a non-finite value.");
            }
        }
    }
}
