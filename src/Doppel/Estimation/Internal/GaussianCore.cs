using Doppel.Simulation;
using MathNet.Numerics.LinearAlgebra;

namespace Doppel.Estimation.Internal;

/// <summary>The mean and covariance a Gaussian filter carries, with the Kalman correction and sampling they share.</summary>
internal sealed class GaussianCore
{
    public GaussianCore(int size, double[] mean, double[,] covariance, double time, string meanParam, string covarianceParam)
    {
        Matrices.CheckVector(mean, size, "The initial mean", meanParam);
        Matrices.CheckCovariance(covariance, size, "The initial covariance", covarianceParam, semiDefinite: true);
        if (!double.IsFinite(time))
        {
            throw new ArgumentException($"The start time must be finite, not {time}.", nameof(time));
        }
        Mean = Matrices.V.DenseOfArray(mean);
        Covariance = Matrices.M.DenseOfArray(covariance);
        Time = time;
    }

    public Vector<double> Mean { get; set; }

    public Matrix<double> Covariance { get; set; }

    public double Time { get; set; }

    public int Size => Mean.Count;

    /// <summary>
    /// x += Pxy S⁻¹ d, P -= Pxy S⁻¹ Pxyᵀ: the Kalman update from an innovation, the state-observation cross covariance
    /// and the innovation covariance.
    /// </summary>
    public void Correct(Vector<double> innovation, Matrix<double> crossCovariance, Matrix<double> innovationCovariance)
    {
        var chol = innovationCovariance.Cholesky();
        var gainT = chol.Solve(crossCovariance.Transpose());
        var mean = Mean + (gainT.TransposeThisAndMultiply(innovation));
        var covariance = Covariance - (crossCovariance * gainT);
        Matrices.Symmetrize(covariance);
        if (!Matrices.IsFinite(covariance) || !mean.ForAll(double.IsFinite))
        {
            throw new InvalidOperationException("The analysis produced non-finite values; the estimate is unchanged.");
        }
        Mean = mean;
        Covariance = covariance;
    }

    public static void CheckDt(double dt)
    {
        if (!(dt >= 0) || double.IsPositiveInfinity(dt))
        {
            throw new ArgumentOutOfRangeException(nameof(dt), dt, "The forecast step must be finite and non-negative.");
        }
    }

    public IReadOnlyList<double[]> Sample(int count, ulong seed) => Sampling.Gaussian(Mean, Covariance, count, seed);
}

/// <summary>Draws from Gaussians and ensembles with the kernel's seeded generator.</summary>
internal static class Sampling
{
    public static IReadOnlyList<double[]> Gaussian(Vector<double> mean, Matrix<double> covariance, int count, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var factor = Matrices.Factor(covariance);
        var random = new SimRandom(seed);
        var n = mean.Count;
        var z = new double[n];
        var draws = new double[count][];
        for (var k = 0; k < count; k++)
        {
            for (var i = 0; i < n; i++)
            {
                z[i] = random.Normal(0, 1);
            }
            var x = new double[n];
            for (var i = 0; i < n; i++)
            {
                var sum = mean[i];
                for (var j = 0; j < n; j++)
                {
                    sum += factor[i, j] * z[j];
                }
                x[i] = sum;
            }
            draws[k] = x;
        }
        return draws;
    }

    /// <summary>Adds N(0, L Lᵀ) noise to <paramref name="x"/>.</summary>
    public static void AddNoise(Span<double> x, Matrix<double> factor, SimRandom random, Span<double> scratch)
    {
        var n = x.Length;
        for (var i = 0; i < n; i++)
        {
            scratch[i] = random.Normal(0, 1);
        }
        for (var i = 0; i < n; i++)
        {
            var sum = 0.0;
            for (var j = 0; j < n; j++)
            {
                sum += factor[i, j] * scratch[j];
            }
            x[i] += sum;
        }
    }
}
