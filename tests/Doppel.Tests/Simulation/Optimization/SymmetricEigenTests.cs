using Doppel.Simulation;
using Doppel.Simulation.Optimization.Internal;

namespace Doppel.Tests.Simulation.Optimization;

/// <summary>The Jacobi eigensolver behind CMA-ES: A·v = λ·v with orthonormal v, on random and degenerate matrices.</summary>
public sealed class SymmetricEigenTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(20)]
    public void Random_symmetric_matrices_are_rebuilt_from_their_eigenpairs(int n)
    {
        var random = new SimRandom((ulong)n);
        var a = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = i; j < n; j++)
            {
                a[(i * n) + j] = a[(j * n) + i] = random.Normal(0, 1);
            }
        }
        var values = new double[n];
        var vectors = new double[n * n];

        SymmetricEigen.Decompose(a, n, values, vectors);

        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                double rebuilt = 0, dot = 0;
                for (var k = 0; k < n; k++)
                {
                    rebuilt += vectors[(i * n) + k] * values[k] * vectors[(j * n) + k];
                    dot += vectors[(k * n) + i] * vectors[(k * n) + j];
                }
                Assert.Equal(a[(i * n) + j], rebuilt, 1e-12);
                Assert.Equal(i == j ? 1 : 0, dot, 1e-12);
            }
        }
    }

    [Fact]
    public void Repeated_eigenvalues_and_a_diagonal_matrix_are_handled()
    {
        // [[2, 1, 1], [1, 2, 1], [1, 1, 2]] has eigenvalues 4, 1, 1.
        double[] a = [2, 1, 1, 1, 2, 1, 1, 1, 2];
        var values = new double[3];
        var vectors = new double[9];

        SymmetricEigen.Decompose(a, 3, values, vectors);

        Assert.Equal([1, 1, 4], values.Order().Select(v => Math.Round(v, 12)));
        SymmetricEigen.Decompose([3, 0, 0, 5], 2, values, vectors);
        Assert.Equal([3, 5], values[..2]);
    }
}
