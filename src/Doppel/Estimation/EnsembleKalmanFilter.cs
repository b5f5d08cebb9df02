using Doppel.Estimation.Internal;
using Doppel.Simulation;
using MathNet.Numerics.LinearAlgebra;

namespace Doppel.Estimation;

/// <summary>
/// The ensemble Kalman filter, stochastic (perturbed observations) or square-root (ETKF, LETKF when localised),
/// with multiplicative inflation and random rotations of the analysis anomalies. A member the model fails on
/// (throws or returns non-finite values) is dropped and replaced by a copy of a surviving member, counted in
/// <see cref="DroppedMembers"/>.
/// </summary>
public sealed class EnsembleKalmanFilter : IStateEstimator
{
    private readonly StateSpaceModel _model;
    private readonly EnsembleOptions _options;
    private readonly EnsembleStore _ensemble;
    private readonly SimRandom _random;
    private readonly double[] _observed;
    private readonly Matrix<double>? _meanBasis;

    /// <summary>Starts from N members drawn from N(<paramref name="mean"/>, <paramref name="covariance"/>) with the options' seed.</summary>
    public EnsembleKalmanFilter(StateSpaceModel model, double[] mean, double[,] covariance, EnsembleOptions options, double startTime = 0)
        : this(model, options, startTime)
    {
        var prior = new GaussianCore(model.StateSize, mean, covariance, startTime, nameof(mean), nameof(covariance));
        _ensemble.Draw(prior.Mean, prior.Covariance, _random);
    }

    /// <summary>Starts from the given members (each of the model's state size).</summary>
    public EnsembleKalmanFilter(StateSpaceModel model, IReadOnlyList<double[]> members, EnsembleOptions options, double startTime = 0)
        : this(model, options with { Members = members?.Count ?? 0 }, startTime)
    {
        for (var i = 0; i < members!.Count; i++)
        {
            Matrices.CheckVector(members[i], model.StateSize, $"Member {i}", nameof(members));
            members[i].CopyTo(_ensemble.Member(i));
        }
    }

    private EnsembleKalmanFilter(StateSpaceModel model, EnsembleOptions options, double startTime)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        model.Validate();
        if (options.Members < 2)
        {
            throw new ArgumentException($"An ensemble needs at least 2 members; got {options.Members}.", nameof(options));
        }
        if (!(options.Inflation >= 1) || double.IsInfinity(options.Inflation))
        {
            throw new ArgumentException($"The inflation must be a finite factor ≥ 1, not {options.Inflation}.", nameof(options));
        }
        if (options.Localization is { } localization)
        {
            if (!(localization.Radius > 0) || localization.Distance is null)
            {
                throw new ArgumentException($"The localisation needs a positive radius (not {localization.Radius}) and a distance function.", nameof(options));
            }
            for (var i = 0; i < model.ObservationSize; i++)
            {
                for (var j = 0; j < model.ObservationSize; j++)
                {
                    if (i != j && model.ObservationNoise[i, j] != 0)
                    {
                        throw new ArgumentException("Localisation needs uncorrelated observation errors (a diagonal R).", nameof(options));
                    }
                }
            }
        }
        if (!double.IsFinite(startTime))
        {
            throw new ArgumentException($"The start time must be finite, not {startTime}.", nameof(startTime));
        }
        _model = model;
        _options = options;
        _ensemble = new EnsembleStore(model.StateSize, options.Members);
        _random = new SimRandom(options.Seed);
        _observed = new double[options.Members * model.ObservationSize];
        Time = startTime;
        if (options.RandomRotation)
        {
            _meanBasis = MeanBasis(options.Members);
        }
    }

    /// <inheritdoc/>
    public int StateSize => _model.StateSize;

    /// <inheritdoc/>
    public double Time { get; private set; }

    /// <summary>The number of members.</summary>
    public int Members => _ensemble.Count;

    /// <summary>How many member forecasts failed and were replaced since the start.</summary>
    public long DroppedMembers { get; private set; }

    /// <inheritdoc/>
    public double[] Mean => EnsembleMean().ToArray();

    /// <inheritdoc/>
    public double[,] Covariance
    {
        get
        {
            var anomalies = Anomalies(EnsembleMean());
            return (anomalies.TransposeAndMultiply(anomalies) / (Members - 1)).ToArray();
        }
    }

    /// <summary>A copy of member <paramref name="index"/>.</summary>
    public double[] Member(int index) => _ensemble.Member(index).ToArray();

    /// <inheritdoc/>
    public void Predict(double dt)
    {
        GaussianCore.CheckDt(dt);
        var failed = _ensemble.Propagate(_model.Transition, Time, dt, _options.Parallel);
        var survivors = new List<int>(Members);
        for (var i = 0; i < failed.Length; i++)
        {
            if (!failed[i])
            {
                survivors.Add(i);
            }
        }
        for (var i = 0; i < failed.Length; i++)
        {
            if (failed[i])
            {
                _ensemble.Member(survivors[_random.Next(survivors.Count)]).CopyTo(_ensemble.Member(i));
                DroppedMembers++;
            }
        }
        _ensemble.AddProcessNoise(_model.ProcessNoise, dt, _random);
        Time += dt;
    }

    /// <inheritdoc/>
    public void Update(ReadOnlySpan<double> observation)
    {
        var present = Matrices.Present(observation, _model.ObservationSize, nameof(observation));
        if (present.Length == 0)
        {
            return;
        }
        var m = _model.ObservationSize;
        var count = Members;
        for (var i = 0; i < count; i++)
        {
            var y = _observed.AsSpan(i * m, m);
            _model.Observe(Time, _ensemble.Member(i), y);
            Matrices.CheckFinite(y, "The observation function");
        }
        var observed = Matrices.M.Dense(present.Length, count, (r, c) => _observed[(c * m) + present[r]]);
        var y0 = Matrices.Gather(observation, present);
        var mean = EnsembleMean();
        var anomalies = Anomalies(mean);
        var analysis = _options.Variant == EnsembleVariant.Etkf
            ? TransformAnalysis(mean, anomalies, observed, y0, present)
            : StochasticAnalysis(mean, anomalies, observed, y0, present);
        if (!Matrices.IsFinite(analysis))
        {
            throw new InvalidOperationException("The analysis produced non-finite values; the ensemble is unchanged.");
        }
        analysis.AsColumnMajorArray().CopyTo(_ensemble.Members, 0);
    }

    /// <inheritdoc/>
    public IReadOnlyList<double[]> Sample(int count, ulong seed) => _ensemble.Stratified(count, seed);

    private Vector<double> EnsembleMean() => _ensemble.View().RowSums() / Members;

    private Matrix<double> Anomalies(Vector<double> mean)
    {
        var anomalies = _ensemble.View().Clone();
        for (var c = 0; c < Members; c++)
        {
            for (var r = 0; r < StateSize; r++)
            {
                anomalies[r, c] -= mean[r];
            }
        }
        return anomalies;
    }

    /// <summary>ETKF (global) or LETKF (localised, one local analysis per state component), then inflation and rotation.</summary>
    private Matrix<double> TransformAnalysis(Vector<double> mean, Matrix<double> anomalies, Matrix<double> observed, Vector<double> y, int[] present)
    {
        var count = Members;
        var observedMean = observed.RowSums() / count;
        var observedAnomalies = observed.Clone();
        for (var c = 0; c < count; c++)
        {
            for (var r = 0; r < observed.RowCount; r++)
            {
                observedAnomalies[r, c] -= observedMean[r];
            }
        }
        var innovation = y - observedMean;
        var post = PostTransform();
        var analysis = Matrices.M.Dense(StateSize, count);
        if (_options.Localization is not { } localization)
        {
            // Whiten with R's Cholesky factor: Ỹ = L⁻¹ Y, d̃ = L⁻¹ d.
            var chol = Matrices.Sub(_model.ObservationNoise, present).Cholesky().Factor;
            var whitened = chol.Solve(observedAnomalies);
            var whitenedInnovation = chol.Solve(innovation);
            var (weights, transform) = Transform(whitened, whitenedInnovation);
            var meanAnalysis = mean + (anomalies * weights);
            var spread = anomalies * (transform * post);
            for (var c = 0; c < count; c++)
            {
                for (var r = 0; r < StateSize; r++)
                {
                    analysis[r, c] = meanAnalysis[r] + spread[r, c];
                }
            }
            return analysis;
        }
        var local = new List<int>(present.Length);
        var taper = new List<double>(present.Length);
        for (var i = 0; i < StateSize; i++)
        {
            local.Clear();
            taper.Clear();
            for (var j = 0; j < present.Length; j++)
            {
                var rho = localization.Taper(localization.Distance(i, present[j]));
                if (rho > 0)
                {
                    local.Add(j);
                    taper.Add(rho);
                }
            }
            var row = anomalies.Row(i);
            if (local.Count == 0)
            {
                var spreadOnly = post.TransposeThisAndMultiply(row);
                for (var c = 0; c < count; c++)
                {
                    analysis[i, c] = mean[i] + spreadOnly[c];
                }
                continue;
            }
            var whitened = Matrices.M.Dense(local.Count, count);
            var whitenedInnovation = Matrices.V.Dense(local.Count);
            for (var k = 0; k < local.Count; k++)
            {
                var j = local[k];
                var scale = Math.Sqrt(taper[k] / _model.ObservationNoise[present[j], present[j]]);
                whitenedInnovation[k] = scale * innovation[j];
                for (var c = 0; c < count; c++)
                {
                    whitened[k, c] = scale * observedAnomalies[j, c];
                }
            }
            var (weights, transform) = Transform(whitened, whitenedInnovation);
            var meanAnalysis = mean[i] + row.DotProduct(weights);
            var spread = (transform * post).TransposeThisAndMultiply(row);
            for (var c = 0; c < count; c++)
            {
                analysis[i, c] = meanAnalysis + spread[c];
            }
        }
        return analysis;
    }

    /// <summary>
    /// The ensemble-space analysis: C = ỸᵀỸ + (N − 1) I = V D Vᵀ, weights w = C⁻¹ Ỹᵀ d̃, transform
    /// T = √(N − 1) V D^(−1/2) Vᵀ (the symmetric square root, which keeps the analysis mean at w).
    /// </summary>
    private (Vector<double> Weights, Matrix<double> Transform) Transform(Matrix<double> whitened, Vector<double> whitenedInnovation)
    {
        var count = Members;
        var c = whitened.TransposeThisAndMultiply(whitened);
        for (var i = 0; i < count; i++)
        {
            c[i, i] += count - 1;
        }
        var evd = c.Evd(Symmetricity.Symmetric);
        var v = evd.EigenVectors;
        var d = evd.EigenValues;
        var scaledInverse = Matrices.M.Dense(count, count);
        var scaledRoot = Matrices.M.Dense(count, count);
        for (var col = 0; col < count; col++)
        {
            var inverse = 1 / d[col].Real;
            var root = Math.Sqrt((count - 1) * inverse);
            for (var row = 0; row < count; row++)
            {
                scaledInverse[row, col] = v[row, col] * inverse;
                scaledRoot[row, col] = v[row, col] * root;
            }
        }
        var weights = scaledInverse * v.TransposeThisAndMultiply(whitened.TransposeThisAndMultiply(whitenedInnovation));
        var transform = scaledRoot.TransposeAndMultiply(v);
        return (weights, transform);
    }

    /// <summary>The stochastic EnKF: K = A Yᵀ (Y Yᵀ + (N − 1) R)⁻¹, each member assimilating y minus a centred perturbation.</summary>
    private Matrix<double> StochasticAnalysis(Vector<double> mean, Matrix<double> anomalies, Matrix<double> observed, Vector<double> y, int[] present)
    {
        var count = Members;
        var k = present.Length;
        var r = Matrices.Sub(_model.ObservationNoise, present);
        var rFactor = r.Cholesky().Factor;
        var perturbations = Matrices.M.Dense(k, count);
        var z = new double[k];
        for (var c = 0; c < count; c++)
        {
            for (var i = 0; i < k; i++)
            {
                z[i] = _random.Normal(0, 1);
            }
            for (var i = 0; i < k; i++)
            {
                var sum = 0.0;
                for (var j = 0; j <= i; j++)
                {
                    sum += rFactor[i, j] * z[j];
                }
                perturbations[i, c] = sum;
            }
        }
        var perturbationMean = perturbations.RowSums() / count;
        var observedMean = observed.RowSums() / count;
        var observedAnomalies = observed.Clone();
        for (var c = 0; c < count; c++)
        {
            for (var i = 0; i < k; i++)
            {
                perturbations[i, c] -= perturbationMean[i];
                observedAnomalies[i, c] -= observedMean[i];
            }
        }
        var crossCovariance = anomalies.TransposeAndMultiply(observedAnomalies);
        if (_options.Localization is { } localization)
        {
            for (var i = 0; i < StateSize; i++)
            {
                for (var j = 0; j < k; j++)
                {
                    crossCovariance[i, j] *= localization.Taper(localization.Distance(i, present[j]));
                }
            }
        }
        var innovationCovariance = observedAnomalies.TransposeAndMultiply(observedAnomalies) + (r * (count - 1));
        var gainT = innovationCovariance.Cholesky().Solve(crossCovariance.Transpose());
        var innovations = Matrices.M.Dense(k, count, (i, c) => y[i] - perturbations[i, c] - observed[i, c]);
        var analysis = _ensemble.View() + gainT.TransposeThisAndMultiply(innovations);
        if (_options.Inflation == 1 && _meanBasis is null)
        {
            return analysis;
        }
        var analysisMean = analysis.RowSums() / count;
        var centred = analysis.Clone();
        for (var c = 0; c < count; c++)
        {
            for (var i = 0; i < StateSize; i++)
            {
                centred[i, c] -= analysisMean[i];
            }
        }
        var spread = centred * PostTransform();
        for (var c = 0; c < count; c++)
        {
            for (var i = 0; i < StateSize; i++)
            {
                spread[i, c] += analysisMean[i];
            }
        }
        return spread;
    }

    /// <summary>
    /// The right factor applied to the analysis anomalies: inflation times, with rotation on, a random orthogonal
    /// matrix that keeps the ensemble mean (a random rotation of the N − 1 directions orthogonal to 1).
    /// </summary>
    private Matrix<double> PostTransform()
    {
        var count = Members;
        var post = Matrices.M.DenseIdentity(count);
        if (_meanBasis is { } basis)
        {
            var gaussian = Matrices.M.Dense(count - 1, count - 1, (_, _) => _random.Normal(0, 1));
            var qr = gaussian.QR();
            var q = qr.Q;
            var rDiagonal = qr.R.Diagonal();
            var block = Matrices.M.DenseIdentity(count);
            for (var c = 0; c < count - 1; c++)
            {
                // Sign-fix so that the rotation is Haar-distributed.
                var sign = rDiagonal[c] < 0 ? -1.0 : 1.0;
                for (var r = 0; r < count - 1; r++)
                {
                    block[r + 1, c + 1] = q[r, c] * sign;
                }
            }
            post = basis * block.TransposeAndMultiply(basis);
        }
        if (_options.Inflation != 1)
        {
            post *= _options.Inflation;
        }
        return post;
    }

    /// <summary>An orthonormal basis of ℝᴺ whose first vector is 1/√N.</summary>
    private static Matrix<double> MeanBasis(int count)
    {
        var seed = Matrices.M.Dense(count, count, (r, c) => c == 0 ? 1.0 : (r == c - 1 ? 1.0 : 0.0));
        return seed.QR(MathNet.Numerics.LinearAlgebra.Factorization.QRMethod.Full).Q;
    }
}
