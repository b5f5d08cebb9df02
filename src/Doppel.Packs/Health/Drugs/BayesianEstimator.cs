using Doppel.Simulation;
using MathNet.Numerics.LinearAlgebra;

namespace Doppel.Packs.Health.Drugs;

/// <summary>
/// Bayesian individualisation (maximum a posteriori, as TDM tools and NONMEM's POSTHOC do): the random effects that
/// minimise −log posterior,
/// J(η) = ½ Σⱼ [(yⱼ − fⱼ(η))²/σⱼ² + ln σⱼ²] + ½ ηᵀΩ⁻¹η,  σⱼ² = σ_add² + (σ_prop·fⱼ)²,
/// found by Newton's method with a line search on finite-difference derivatives, and the Laplace approximation of the
/// posterior (a normal with the inverse Hessian at the mode as covariance).
/// </summary>
public static class BayesianEstimator
{
    /// <summary>−log posterior (up to a constant) at η; +∞ where the parameters do not make a model.</summary>
    public static double Objective(PopulationModel model, IReadOnlyDictionary<string, double> covariates, IReadOnlyList<Dose> doses, IReadOnlyList<Level> levels, ReadOnlySpan<double> eta)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(levels);
        foreach (var e in eta)
        {
            if (!double.IsFinite(e) || Math.Abs(e) > 20)
            {
                return double.PositiveInfinity;
            }
        }
        var parameters = model.Individual(covariates, eta);
        if (parameters.Problem() is not null)
        {
            return double.PositiveInfinity;
        }
        var pk = new CompartmentModel(parameters);
        var sum = model.Mahalanobis(eta);
        foreach (var level in levels)
        {
            var f = pk.Concentration(doses, level.Time);
            var variance = model.Residual.Variance(f);
            var r = level.Value - f;
            sum += (r * r / variance) + Math.Log(variance);
        }
        return sum / 2;
    }

    /// <summary>The MAP estimate and its Laplace covariance from the patient's doses and levels.</summary>
    public static Result<PosteriorFit> Fit(PopulationModel model, IReadOnlyDictionary<string, double> covariates, IReadOnlyList<Dose> doses, IReadOnlyList<Level> levels)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(covariates);
        ArgumentNullException.ThrowIfNull(doses);
        ArgumentNullException.ThrowIfNull(levels);
        if (model.CovariateProblem(covariates) is { } covariateProblem)
        {
            return Fail(covariateProblem);
        }
        if (doses.Count == 0)
        {
            return Fail("the patient's doses are needed: levels mean nothing without them");
        }
        if (doses.Select(d => d.Problem()).FirstOrDefault(p => p is not null) is { } doseProblem)
        {
            return Fail(doseProblem);
        }
        if (levels.Select(l => l.Problem()).FirstOrDefault(p => p is not null) is { } levelProblem)
        {
            return Fail(levelProblem);
        }
        if (model.Typical(covariates).Problem() is { } typicalProblem)
        {
            return Fail($"the patient's covariates give no model: {typicalProblem}");
        }
        var n = model.EtaCount;
        var eta = new double[n];
        var objective = Objective(model, covariates, doses, levels, eta);
        var iterations = 0;
        var converged = levels.Count == 0;
        while (!converged && iterations < 100)
        {
            iterations++;
            var (gradient, hessian) = Derivatives(eta);
            var step = NewtonStep(gradient, hessian);
            var slope = gradient.DotProduct(step);
            var t = 1.0;
            var trial = new double[n];
            var improved = false;
            for (var halving = 0; halving < 40; halving++)
            {
                for (var k = 0; k < n; k++)
                {
                    trial[k] = eta[k] + (t * step[k]);
                }
                var value = Objective(model, covariates, doses, levels, trial);
                if (value <= objective + (1e-4 * t * slope))
                {
                    improved = objective - value >= 0;
                    var change = objective - value;
                    Array.Copy(trial, eta, n);
                    objective = value;
                    converged = change < 1e-12 && step.AbsoluteMaximum() * t < 1e-8;
                    break;
                }
                t /= 2;
            }
            if (!improved || gradient.AbsoluteMaximum() < 1e-9)
            {
                converged = gradient.AbsoluteMaximum() < 1e-5 || step.AbsoluteMaximum() * t < 1e-8;
                break;
            }
        }
        var (_, finalHessian) = Derivatives(eta);
        var covariance = Covariance(finalHessian);
        return Result<PosteriorFit>.Ok(new PosteriorFit(model, covariates, doses, levels, eta, covariance, model.Individual(covariates, eta), objective, iterations, converged));

        (Vector<double> Gradient, Matrix<double> Hessian) Derivatives(double[] at)
        {
            const double h = 1e-4;
            var g = Vector<double>.Build.Dense(n);
            var hess = Matrix<double>.Build.Dense(n, n);
            var f0 = Objective(model, covariates, doses, levels, at);
            var x = (double[])at.Clone();
            double F(int i, double di, int j, double dj)
            {
                Array.Copy(at, x, n);
                x[i] += di;
                x[j] += dj;
                return Objective(model, covariates, doses, levels, x);
            }
            for (var i = 0; i < n; i++)
            {
                var plus = F(i, h, i, 0);
                var minus = F(i, -h, i, 0);
                g[i] = (plus - minus) / (2 * h);
                hess[i, i] = (plus - (2 * f0) + minus) / (h * h);
                for (var j = 0; j < i; j++)
                {
                    var value = (F(i, h, j, h) - F(i, h, j, -h) - F(i, -h, j, h) + F(i, -h, j, -h)) / (4 * h * h);
                    hess[i, j] = value;
                    hess[j, i] = value;
                }
            }
            return (g, hess);
        }
    }

    /// <summary>
    /// Brute force, for validation: the mode found by a grid over ±4 prior standard deviations of each η, then grids
    /// ever finer around the best point (no derivatives, no assumption of a single smooth mode at the start).
    /// </summary>
    public static double[] GridMode(PopulationModel model, IReadOnlyDictionary<string, double> covariates, IReadOnlyList<Dose> doses, IReadOnlyList<Level> levels, int pointsPerAxis = 41, int refinements = 12)
    {
        ArgumentNullException.ThrowIfNull(model);
        var n = model.EtaCount;
        var centre = new double[n];
        var halfWidth = Enumerable.Range(0, n).Select(k => 4 * Math.Sqrt(model.Omega(k, k))).ToArray();
        var best = new double[n];
        var point = new double[n];
        var index = new int[n];
        for (var round = 0; round <= refinements; round++)
        {
            var bestValue = double.PositiveInfinity;
            Array.Clear(index);
            while (true)
            {
                for (var k = 0; k < n; k++)
                {
                    point[k] = centre[k] - halfWidth[k] + (2 * halfWidth[k] * index[k] / (pointsPerAxis - 1));
                }
                var value = Objective(model, covariates, doses, levels, point);
                if (value < bestValue)
                {
                    bestValue = value;
                    Array.Copy(point, best, n);
                }
                var axis = 0;
                while (axis < n && ++index[axis] == pointsPerAxis)
                {
                    index[axis++] = 0;
                }
                if (axis == n)
                {
                    break;
                }
            }
            Array.Copy(best, centre, n);
            for (var k = 0; k < n; k++)
            {
                // The next grid spans three cells of this one either side of the best point.
                halfWidth[k] = 3 * 2 * halfWidth[k] / (pointsPerAxis - 1);
            }
        }
        return best;
    }

    /// <summary>Draws of η from the Laplace posterior N(η̂, Σ).</summary>
    public static IReadOnlyList<double[]> Sample(PosteriorFit fit, int count, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(fit);
        var n = fit.Eta.Length;
        var factor = Matrix<double>.Build.DenseOfArray(fit.Covariance).Cholesky().Factor;
        var random = new SimRandom(seed);
        var draws = new List<double[]>(count);
        var z = new double[n];
        for (var s = 0; s < count; s++)
        {
            for (var k = 0; k < n; k++)
            {
                z[k] = random.Normal(0, 1);
            }
            var eta = (double[])fit.Eta.Clone();
            for (var i = 0; i < n; i++)
            {
                for (var j = 0; j <= i; j++)
                {
                    eta[i] += factor[i, j] * z[j];
                }
            }
            draws.Add(eta);
        }
        return draws;
    }

    /// <summary>A Newton step, with the Hessian shifted until it is positive definite (far from the mode it may not be).</summary>
    private static Vector<double> NewtonStep(Vector<double> gradient, Matrix<double> hessian)
    {
        var shift = 0.0;
        for (var attempt = 0; attempt < 60; attempt++)
        {
            var shifted = hessian + (Matrix<double>.Build.DenseIdentity(hessian.RowCount) * shift);
            if (IsPositiveDefinite(shifted))
            {
                return -shifted.Cholesky().Solve(gradient);
            }
            shift = shift == 0 ? 1e-6 * Math.Max(1, hessian.Diagonal().AbsoluteMaximum()) : shift * 10;
        }
        return -gradient;
    }

    private static double[,] Covariance(Matrix<double> hessian)
    {
        var h = (hessian + hessian.Transpose()) / 2;
        if (!IsPositiveDefinite(h))
        {
            // Not a strict minimum in every direction: report infinite uncertainty there rather than a false one.
            var n = h.RowCount;
            var result = new double[n, n];
            for (var i = 0; i < n; i++)
            {
                result[i, i] = double.PositiveInfinity;
            }
            return result;
        }
        return h.Cholesky().Solve(Matrix<double>.Build.DenseIdentity(h.RowCount)).ToArray();
    }

    private static bool IsPositiveDefinite(Matrix<double> m)
    {
        for (var i = 0; i < m.RowCount; i++)
        {
            if (!(m[i, i] > 0) || !double.IsFinite(m[i, i]))
            {
                return false;
            }
        }
        try
        {
            var factor = m.Cholesky().Factor;
            for (var i = 0; i < m.RowCount; i++)
            {
                if (!(factor[i, i] > 0) || !double.IsFinite(factor[i, i]))
                {
                    return false;
                }
            }
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static Result<PosteriorFit> Fail(string message) => Result<PosteriorFit>.Fail("ValidationFailed", message);
}
