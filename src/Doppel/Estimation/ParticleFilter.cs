using Doppel.Estimation.Internal;
using Doppel.Simulation;
using MathNet.Numerics.LinearAlgebra;

namespace Doppel.Estimation;

/// <summary>
/// The bootstrap particle filter (sequential importance resampling): particles follow the model, weights follow
/// the likelihood, and systematic resampling with regularisation (jitter of the duplicates) runs when the effective
/// sample size falls below the threshold. Resampling is carried out at the start of the next forecast, so the
/// analysis mean and covariance are the weighted ones, free of resampling noise. A particle the model fails on
/// (throws or returns non-finite values) gets weight 0, counted in <see cref="DroppedParticles"/>.
/// </summary>
public sealed class ParticleFilter : IStateEstimator
{
    private readonly StateSpaceModel _model;
    private readonly ParticleFilterOptions _options;
    private readonly EnsembleStore _particles;
    private readonly SimRandom _random;
    private readonly double[] _weights;
    private readonly double[] _logLikelihood;
    private readonly double[] _observed;
    private readonly int[] _indices;
    private readonly double[] _resampled;
    private bool _resamplePending;

    /// <summary>Starts from N particles drawn from N(<paramref name="mean"/>, <paramref name="covariance"/>) with the options' seed.</summary>
    public ParticleFilter(StateSpaceModel model, double[] mean, double[,] covariance, ParticleFilterOptions options, double startTime = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        model.Validate();
        if (options.Particles < 2)
        {
            throw new ArgumentException($"A particle filter needs at least 2 particles; got {options.Particles}.", nameof(options));
        }
        if (!(options.ResamplingThreshold is >= 0 and <= 1))
        {
            throw new ArgumentException($"The resampling threshold is a fraction of N in [0, 1], not {options.ResamplingThreshold}.", nameof(options));
        }
        if (!(options.Regularization >= 0) || double.IsInfinity(options.Regularization))
        {
            throw new ArgumentException($"The regularisation must be finite and non-negative, not {options.Regularization}.", nameof(options));
        }
        var prior = new GaussianCore(model.StateSize, mean, covariance, startTime, nameof(mean), nameof(covariance));
        _model = model;
        _options = options;
        _random = new SimRandom(options.Seed);
        _particles = new EnsembleStore(model.StateSize, options.Particles);
        _particles.Draw(prior.Mean, prior.Covariance, _random);
        _weights = new double[options.Particles];
        Array.Fill(_weights, 1.0 / options.Particles);
        _logLikelihood = new double[options.Particles];
        _observed = new double[model.ObservationSize];
        _indices = new int[options.Particles];
        _resampled = new double[options.Particles * model.StateSize];
        Time = startTime;
    }

    /// <inheritdoc/>
    public int StateSize => _model.StateSize;

    /// <inheritdoc/>
    public double Time { get; private set; }

    /// <summary>The number of particles.</summary>
    public int Particles => _particles.Count;

    /// <summary>The effective sample size 1/Σw² of the current weights.</summary>
    public double EffectiveSampleSize
    {
        get
        {
            var sum = 0.0;
            foreach (var w in _weights)
            {
                sum += w * w;
            }
            return 1 / sum;
        }
    }

    /// <summary>How many resamplings ran since the start.</summary>
    public long Resamplings { get; private set; }

    /// <summary>How many particle forecasts failed (weight set to 0) since the start.</summary>
    public long DroppedParticles { get; private set; }

    /// <summary>The normalised weights (a copy).</summary>
    public double[] Weights => (double[])_weights.Clone();

    /// <inheritdoc/>
    public double[] Mean => WeightedMean(_weights);

    /// <inheritdoc/>
    public double[,] Covariance
    {
        get
        {
            var n = StateSize;
            var mean = WeightedMean(_weights);
            var covariance = new double[n, n];
            var squares = 0.0;
            for (var p = 0; p < Particles; p++)
            {
                var w = _weights[p];
                squares += w * w;
                var x = _particles.Member(p);
                for (var i = 0; i < n; i++)
                {
                    for (var j = 0; j < n; j++)
                    {
                        covariance[i, j] += w * (x[i] - mean[i]) * (x[j] - mean[j]);
                    }
                }
            }
            var unbias = squares < 1 ? 1 / (1 - squares) : 1;
            for (var i = 0; i < n; i++)
            {
                for (var j = 0; j < n; j++)
                {
                    covariance[i, j] *= unbias;
                }
            }
            return covariance;
        }
    }

    /// <summary>A copy of particle <paramref name="index"/>.</summary>
    public double[] Particle(int index) => _particles.Member(index).ToArray();

    /// <inheritdoc/>
    public void Predict(double dt)
    {
        GaussianCore.CheckDt(dt);
        if (_resamplePending)
        {
            Resample();
        }
        var failed = _particles.Propagate(_model.Transition, Time, dt, _options.Parallel);
        var dropped = 0;
        for (var i = 0; i < failed.Length; i++)
        {
            if (failed[i] && _weights[i] > 0)
            {
                _weights[i] = 0;
                dropped++;
            }
        }
        if (dropped > 0)
        {
            DroppedParticles += dropped;
            if (!Normalize())
            {
                throw new InvalidOperationException($"The model failed for every weighted particle between t = {Time} and t = {Time + dt}.");
            }
        }
        _particles.AddProcessNoise(_model.ProcessNoise, dt, _random);
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
        var k = present.Length;
        var factor = Matrices.Sub(_model.ObservationNoise, present).Cholesky().Factor;
        var innovation = new double[k];
        var maximum = double.NegativeInfinity;
        for (var p = 0; p < Particles; p++)
        {
            if (_weights[p] == 0)
            {
                _logLikelihood[p] = double.NegativeInfinity;
                continue;
            }
            _model.Observe(Time, _particles.Member(p), _observed);
            // Whitened innovation L⁻¹ (y − h(x)) by forward substitution; the log-likelihood is −½ of its square.
            var chi2 = 0.0;
            for (var i = 0; i < k; i++)
            {
                var sum = observation[present[i]] - _observed[present[i]];
                for (var j = 0; j < i; j++)
                {
                    sum -= factor[i, j] * innovation[j];
                }
                innovation[i] = sum / factor[i, i];
                chi2 += innovation[i] * innovation[i];
            }
            var log = Math.Log(_weights[p]) - (0.5 * chi2);
            _logLikelihood[p] = double.IsNaN(log) ? double.NegativeInfinity : log;
            maximum = Math.Max(maximum, _logLikelihood[p]);
        }
        if (double.IsNegativeInfinity(maximum))
        {
            throw new InvalidOperationException("No particle can explain the observation (every likelihood is 0); the weights are unchanged.");
        }
        for (var p = 0; p < Particles; p++)
        {
            _weights[p] = Math.Exp(_logLikelihood[p] - maximum);
        }
        Normalize();
        _resamplePending = EffectiveSampleSize <= Particles * _options.ResamplingThreshold;
    }

    /// <inheritdoc/>
    public IReadOnlyList<double[]> Sample(int count, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var random = new SimRandom(seed);
        var draws = new double[count][];
        if (count == 0)
        {
            return draws;
        }
        // Systematic sampling by weight: one uniform offset, count evenly spaced points on the weight CDF.
        var u = random.NextDouble() / count;
        var cumulative = _weights[0];
        var p = 0;
        for (var d = 0; d < count; d++)
        {
            var point = u + ((double)d / count);
            while (point > cumulative && p < Particles - 1)
            {
                cumulative += _weights[++p];
            }
            draws[d] = _particles.Member(p).ToArray();
        }
        return draws;
    }

    private double[] WeightedMean(double[] weights)
    {
        var mean = new double[StateSize];
        for (var p = 0; p < Particles; p++)
        {
            var x = _particles.Member(p);
            for (var i = 0; i < mean.Length; i++)
            {
                mean[i] += weights[p] * x[i];
            }
        }
        return mean;
    }

    private bool Normalize()
    {
        var sum = 0.0;
        foreach (var w in _weights)
        {
            sum += w;
        }
        if (!(sum > 0) || !double.IsFinite(sum))
        {
            return false;
        }
        for (var i = 0; i < _weights.Length; i++)
        {
            _weights[i] /= sum;
        }
        return true;
    }

    /// <summary>Systematic resampling, then jitter of every particle that appears more than once (DAPPER's <c>nuj</c>).</summary>
    private void Resample()
    {
        _resamplePending = false;
        Resamplings++;
        var n = StateSize;
        var count = Particles;
        var jitter = _options.Regularization > 0 ? JitterFactor() : null;
        var u = _random.NextDouble() / count;
        var cumulative = _weights[0];
        var p = 0;
        for (var d = 0; d < count; d++)
        {
            var point = u + ((double)d / count);
            while (point > cumulative && p < count - 1)
            {
                cumulative += _weights[++p];
            }
            _indices[d] = p;
        }
        var source = _particles.Members;
        for (var d = 0; d < count; d++)
        {
            Array.Copy(source, _indices[d] * n, _resampled, d * n, n);
        }
        Array.Copy(_resampled, source, source.Length);
        if (jitter is not null)
        {
            var scratch = new double[n];
            for (var d = 0; d < count; d++)
            {
                var duplicated = (d > 0 && _indices[d - 1] == _indices[d]) || (d < count - 1 && _indices[d + 1] == _indices[d]);
                if (duplicated)
                {
                    Sampling.AddNoise(_particles.Member(d), jitter, _random, scratch);
                }
            }
        }
        Array.Fill(_weights, 1.0 / count);
    }

    /// <summary>The factor of the jitter covariance: (reg · N^(−1/(n+4)))² times the weighted, unbiased covariance.</summary>
    private Matrix<double> JitterFactor()
    {
        var weights = _weights;
        var largest = 0.0;
        foreach (var w in weights)
        {
            largest = Math.Max(largest, w);
        }
        if (1 - largest < 1e-10)
        {
            // One particle holds all the weight: its covariance would be 0, so use the unweighted spread instead.
            weights = new double[Particles];
            Array.Fill(weights, 1.0 / Particles);
        }
        var bandwidth = _options.Regularization * Math.Pow(Particles, -1.0 / (StateSize + 4));
        var mean = WeightedMean(weights);
        var n = StateSize;
        var covariance = Matrices.M.Dense(n, n);
        var squares = 0.0;
        for (var p = 0; p < Particles; p++)
        {
            var w = weights[p];
            squares += w * w;
            var x = _particles.Member(p);
            for (var i = 0; i < n; i++)
            {
                for (var j = 0; j <= i; j++)
                {
                    covariance[i, j] += w * (x[i] - mean[i]) * (x[j] - mean[j]);
                }
            }
        }
        var scale = bandwidth * bandwidth / (1 - squares);
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                covariance[i, j] *= scale;
                covariance[j, i] = covariance[i, j];
            }
        }
        return Matrices.Factor(covariance);
    }
}
