using Doppel.Simulation;
using MathNet.Numerics.LinearAlgebra;

namespace Doppel.Packs.Health.Drugs;

/// <summary>
/// A population pharmacokinetic model: the structure (compartments), the typical parameters with their covariate
/// effects, log-normal inter-individual variability η ~ N(0, Ω) with a full covariance (drawn through its Cholesky
/// factor), and the residual error of a measured level. An individual is θᵢ = θ_typical(covariates)·exp(ηᵢ).
/// </summary>
public sealed class PopulationModel
{
    private readonly Matrix<double> _omega;
    private readonly Matrix<double> _cholesky;
    private readonly Matrix<double> _omegaInverse;

    /// <param name="name">The model's name (<c>vancomycin-goti-2018</c>).</param>
    /// <param name="description">One sentence: the drug, the population, the structure.</param>
    /// <param name="citation">Where its values were published.</param>
    /// <param name="compartments">1, 2 or 3.</param>
    /// <param name="parameters">The structural parameters; CL and V1 are required, and those the structure needs.</param>
    /// <param name="etaNames">The random effects' names (η_CL, ...), in the order of <paramref name="omega"/>.</param>
    /// <param name="omega">Ω: the random effects' covariance (symmetric positive definite).</param>
    /// <param name="residual">The residual error of a measured concentration.</param>
    public PopulationModel(string name, string description, string citation, int compartments, IReadOnlyList<PopulationParameter> parameters,
        IReadOnlyList<string> etaNames, double[,] omega, ResidualError residual)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(etaNames);
        ArgumentNullException.ThrowIfNull(omega);
        ArgumentNullException.ThrowIfNull(residual);
        Name = name;
        Description = description;
        Citation = citation;
        Compartments = compartments;
        Parameters = parameters;
        EtaNames = etaNames;
        Residual = residual;
        if (Check(omega) is { } problem)
        {
            throw new ArgumentException($"The population model '{name}' is not valid: {problem}.", nameof(parameters));
        }
        _omega = Matrix<double>.Build.DenseOfArray(omega);
        _cholesky = _omega.Cholesky().Factor;
        _omegaInverse = _omega.Inverse();
        LogDetOmega = 2 * Enumerable.Range(0, etaNames.Count).Sum(i => Math.Log(_cholesky[i, i]));
        Covariates = [.. parameters.SelectMany(p => p.Effects).Select(e => e.Covariate).Distinct(StringComparer.Ordinal)];
    }

    public string Name { get; }

    public string Description { get; }

    public string Citation { get; }

    public int Compartments { get; }

    public IReadOnlyList<PopulationParameter> Parameters { get; }

    public IReadOnlyList<string> EtaNames { get; }

    public ResidualError Residual { get; }

    /// <summary>The covariates the model reads.</summary>
    public IReadOnlyList<string> Covariates { get; }

    /// <summary>The number of random effects.</summary>
    public int EtaCount => EtaNames.Count;

    /// <summary>Ω[i, j].</summary>
    public double Omega(int i, int j) => _omega[i, j];

    /// <summary>ln det Ω.</summary>
    public double LogDetOmega { get; }

    /// <summary>ηᵀΩ⁻¹η.</summary>
    public double Mahalanobis(ReadOnlySpan<double> eta)
    {
        var sum = 0.0;
        for (var i = 0; i < eta.Length; i++)
        {
            for (var j = 0; j < eta.Length; j++)
            {
                sum += eta[i] * _omegaInverse[i, j] * eta[j];
            }
        }
        return sum;
    }

    /// <summary>A draw of η ~ N(0, Ω): L·z with L the Cholesky factor and z standard normal.</summary>
    public double[] SampleEta(SimRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var z = new double[EtaCount];
        for (var i = 0; i < z.Length; i++)
        {
            z[i] = random.Normal(0, 1);
        }
        var eta = new double[EtaCount];
        for (var i = 0; i < eta.Length; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                eta[i] += _cholesky[i, j] * z[j];
            }
        }
        return eta;
    }

    /// <summary>What is missing or wrong in a patient's covariates for this model, or null.</summary>
    public string? CovariateProblem(IReadOnlyDictionary<string, double> covariates)
    {
        ArgumentNullException.ThrowIfNull(covariates);
        foreach (var name in Covariates)
        {
            if (!covariates.TryGetValue(name, out var value))
            {
                return $"the model '{Name}' needs the covariate '{name}' (it reads {string.Join(", ", Covariates)})";
            }
            if (!double.IsFinite(value) || value < 0)
            {
                return $"the covariate '{name}' must be a finite number, 0 or more, got {value}";
            }
        }
        return null;
    }

    /// <summary>The individual's parameters for covariates and random effects (η = 0: the typical patient with these covariates).</summary>
    public PkParameters Individual(IReadOnlyDictionary<string, double> covariates, ReadOnlySpan<double> eta)
    {
        ArgumentNullException.ThrowIfNull(covariates);
        if (eta.Length != 0 && eta.Length != EtaCount)
        {
            throw new ArgumentException($"The model has {EtaCount} random effects, got {eta.Length}.", nameof(eta));
        }
        if (CovariateProblem(covariates) is { } problem)
        {
            throw new ArgumentException($"The covariates do not fit: {problem}.", nameof(covariates));
        }
        var values = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase) { ["F"] = 1 };
        foreach (var parameter in Parameters)
        {
            var value = parameter.Typical;
            foreach (var effect in parameter.Effects)
            {
                value *= effect.Multiplier(covariates[effect.Covariate]);
            }
            if (parameter.Eta is { } k && eta.Length > 0)
            {
                value *= Math.Exp(eta[k]);
            }
            values[parameter.Name] = value;
        }
        return new PkParameters(Compartments, Get("CL"), Get("V1"), Get("Q2"), Get("V2"), Get("Q3"), Get("V3"), Get("KA"), Get("F"), Get("LAG"));

        double Get(string key) => values.TryGetValue(key, out var v) ? v : 0;
    }

    /// <summary>
    /// The same model with another residual error: a virtual patient follows the model exactly, so what remains between
    /// its true level and the one measured is the assay's error only, smaller than the model's residual (which also holds
    /// the misspecification and the sampling-time errors of the clinical data it was fitted to).
    /// </summary>
    public PopulationModel WithResidual(ResidualError residual)
    {
        ArgumentNullException.ThrowIfNull(residual);
        return new PopulationModel(Name, Description, Citation, Compartments, Parameters, EtaNames, _omega.ToArray(), residual);
    }

    /// <summary>The typical patient with these covariates (η = 0).</summary>
    public PkParameters Typical(IReadOnlyDictionary<string, double> covariates) => Individual(covariates, []);

    private string? Check(double[,] omega)
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            return "it needs a name";
        }
        if (Compartments is < 1 or > 3)
        {
            return $"a model has 1, 2 or 3 compartments, not {Compartments}";
        }
        if (EtaNames.Count == 0)
        {
            return "it needs at least one random effect";
        }
        var known = PkParameters.Names;
        foreach (var parameter in Parameters)
        {
            if (!known.Contains(parameter.Name, StringComparer.OrdinalIgnoreCase))
            {
                return $"'{parameter.Name}' is not a parameter (they are {string.Join(", ", known)})";
            }
            if (!(double.IsFinite(parameter.Typical) && parameter.Typical >= 0))
            {
                return $"the typical {parameter.Name} must be a finite number, 0 or more, got {parameter.Typical}";
            }
            if (parameter.Eta is { } k && (k < 0 || k >= EtaNames.Count))
            {
                return $"{parameter.Name} names random effect {k}, but there are {EtaNames.Count}";
            }
        }
        string[] needed = Compartments switch { 1 => ["CL", "V1"], 2 => ["CL", "V1", "Q2", "V2"], _ => ["CL", "V1", "Q2", "V2", "Q3", "V3"] };
        if (needed.FirstOrDefault(n => !Parameters.Any(p => string.Equals(p.Name, n, StringComparison.OrdinalIgnoreCase))) is { } missing)
        {
            return $"a {Compartments}-compartment model needs {missing}";
        }
        if (omega.GetLength(0) != EtaNames.Count || omega.GetLength(1) != EtaNames.Count)
        {
            return $"Ω must be {EtaNames.Count}×{EtaNames.Count} (one row per random effect), got {omega.GetLength(0)}×{omega.GetLength(1)}";
        }
        for (var i = 0; i < EtaNames.Count; i++)
        {
            for (var j = 0; j < EtaNames.Count; j++)
            {
                if (!double.IsFinite(omega[i, j]) || omega[i, j] != omega[j, i])
                {
                    return "Ω must be symmetric with finite entries";
                }
            }
        }
        if (!Matrix<double>.Build.DenseOfArray(omega).Evd().EigenValues.All(v => v.Real > 0))
        {
            return "Ω must be positive definite";
        }
        return Residual.Problem();
    }
}
