using Doppel.Simulation.Continuous.Internal;
using FsCheck.Xunit;

namespace Doppel.Tests.Simulation.Continuous;

/// <summary>The small dense LU solver against multiplication.</summary>
public sealed class DenseLuTests
{
    [Property(MaxTest = 200)]
    public bool Solving_a_product_returns_the_vector_that_made_it(int seed, byte size)
    {
        var n = 1 + (size % 8);
        var random = new Random(seed);
        var a = new double[n * n];
        var x = new double[n];
        for (var i = 0; i < a.Length; i++)
        {
            a[i] = (random.NextDouble() * 2) - 1;
        }
        for (var i = 0; i < n; i++)
        {
            // Keep the matrix well conditioned, but not diagonally dominant, so that pivoting happens.
            a[(i * n) + ((i + 1) % n)] += 3;
            x[i] = (random.NextDouble() * 10) - 5;
        }
        var b = new double[n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                b[i] += a[(i * n) + j] * x[j];
            }
        }
        var pivots = new int[n];

        var factored = DenseLu.Factor(a, n, pivots);
        DenseLu.Solve(a, n, pivots, b);

        return factored && x.Zip(b).All(p => Math.Abs(p.First - p.Second) <= 1e-10 * (1 + Math.Abs(p.First)));
    }

    [Fact]
    public void A_singular_matrix_is_reported()
    {
        double[] a = [1, 2, 2, 4];
        Assert.False(DenseLu.Factor(a, 2, new int[2]));
    }
}
