using System.Diagnostics;
using Doppel.Estimation.Internal;
using Doppel.Simulation;

namespace Doppel.Estimation;

/// <summary>
/// A twin experiment (DAPPER's hidden Markov model set-up): a truth run of <see cref="Model"/> from a draw of the
/// initial distribution, an observation every <see cref="StepsPerObservation"/> steps of <see cref="StepTime"/>,
/// and a filter scored on the cycles after <see cref="BurnIn"/>.
/// </summary>
public sealed record TwinExperiment(
    string Name, StateSpaceModel Model, double[] InitialMean, double[,] InitialCovariance, double StepTime, int StepsPerObservation, int Observations, double BurnIn)
{
    /// <summary>The time between observations.</summary>
    public double ObservationInterval => StepTime * StepsPerObservation;

    /// <summary>Generates the truth and the observations for <paramref name="seed"/>.</summary>
    public TwinData Generate(ulong seed)
    {
        Model.Validate();
        if (!(StepTime > 0) || StepsPerObservation < 1 || Observations < 1)
        {
            throw new ArgumentException($"The experiment needs a positive step, steps per observation and observation count ({StepTime}, {StepsPerObservation}, {Observations}).");
        }
        var prior = new GaussianCore(Model.StateSize, InitialMean, InitialCovariance, 0, nameof(InitialMean), nameof(InitialCovariance));
        var random = new SimRandom(seed);
        var n = Model.StateSize;
        var m = Model.ObservationSize;
        var x = Sampling.Gaussian(prior.Mean, prior.Covariance, 1, random.NextUInt64())[0];
        var next = new double[n];
        var noise = Matrices.Factor(Matrices.M.DenseOfArray(Model.ObservationNoise));
        var processFactor = Model.ProcessNoise is { } q ? Matrices.Factor(Matrices.M.DenseOfArray(q(StepTime))) : null;
        var scratch = new double[Math.Max(n, m)];
        var times = new double[Observations];
        var truth = new double[Observations][];
        var observations = new double[Observations][];
        long steps = 0;
        var t = 0.0;
        for (var k = 0; k < Observations; k++)
        {
            for (var s = 0; s < StepsPerObservation; s++)
            {
                Model.Transition(t, StepTime, x, next);
                if (processFactor is not null)
                {
                    Sampling.AddNoise(next, processFactor, random, scratch.AsSpan(0, n));
                }
                (x, next) = (next, x);
                steps++;
                t = StepTime * steps;
            }
            Matrices.CheckFinite(x, "The truth run");
            times[k] = t;
            truth[k] = (double[])x.Clone();
            var y = new double[m];
            Model.Observe(t, x, y);
            Sampling.AddNoise(y, noise, random, scratch.AsSpan(0, m));
            observations[k] = y;
        }
        return new TwinData(times, truth, observations);
    }

    /// <summary>
    /// The climatology: the covariance of the model's states over a free run of <paramref name="steps"/> steps after
    /// the burn-in, from a draw of the initial distribution (3D-Var's background, scaled). DAPPER estimates it from the
    /// experiment's own truth, spin-up included, which in a run of 1,000 steps inflates it (3D-Var's rmse on
    /// Lorenz-96 then rises from 0.41 to 0.44); a long run after the burn-in gives the attractor's covariance.
    /// </summary>
    public double[,] Climatology(int steps, ulong seed)
    {
        Model.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 2);
        var prior = new GaussianCore(Model.StateSize, InitialMean, InitialCovariance, 0, nameof(InitialMean), nameof(InitialCovariance));
        var n = Model.StateSize;
        var x = Sampling.Gaussian(prior.Mean, prior.Covariance, 1, seed)[0];
        var next = new double[n];
        var t = 0.0;
        for (long k = 1; t <= BurnIn; k++)
        {
            Model.Transition(t, StepTime, x, next);
            (x, next) = (next, x);
            t = StepTime * k;
        }
        var sum = new double[n];
        var products = new double[n, n];
        for (var k = 0; k < steps; k++)
        {
            Model.Transition(t, StepTime, x, next);
            (x, next) = (next, x);
            t += StepTime;
            for (var i = 0; i < n; i++)
            {
                sum[i] += x[i];
                for (var j = 0; j <= i; j++)
                {
                    products[i, j] += x[i] * x[j];
                }
            }
        }
        Matrices.CheckFinite(x, "The free run");
        var climatology = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                climatology[i, j] = climatology[j, i] = (products[i, j] - (sum[i] * sum[j] / steps)) / (steps - 1);
            }
        }
        return climatology;
    }

    /// <summary>
    /// Runs <paramref name="estimator"/> (starting at time 0) through the observations: one forecast over the
    /// observation interval and one analysis per cycle.
    /// </summary>
    public TwinResult Run(IStateEstimator estimator, TwinData data, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(estimator);
        ArgumentNullException.ThrowIfNull(data);
        var cycles = new List<double>(data.Observations.Length);
        var rmseSum = 0.0;
        var spreadSum = 0.0;
        var assessed = 0;
        var previous = estimator.Time;
        for (var k = 0; k < data.Observations.Length; k++)
        {
            ct.ThrowIfCancellationRequested();
            var start = Stopwatch.GetTimestamp();
            estimator.Predict(data.Times[k] - previous);
            estimator.Update(data.Observations[k]);
            cycles.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            previous = data.Times[k];
            if (data.Times[k] > BurnIn)
            {
                var mean = estimator.Mean;
                var truth = data.Truth[k];
                var squares = 0.0;
                for (var i = 0; i < mean.Length; i++)
                {
                    squares += (mean[i] - truth[i]) * (mean[i] - truth[i]);
                }
                rmseSum += Math.Sqrt(squares / mean.Length);
                var covariance = estimator.Covariance;
                var variance = 0.0;
                for (var i = 0; i < mean.Length; i++)
                {
                    variance += covariance[i, i];
                }
                spreadSum += Math.Sqrt(variance / mean.Length);
                assessed++;
            }
        }
        cycles.Sort();
        var median = cycles.Count == 0 ? double.NaN : cycles.Count % 2 == 1 ? cycles[cycles.Count / 2] : 0.5 * (cycles[(cycles.Count / 2) - 1] + cycles[cycles.Count / 2]);
        return new TwinResult(assessed == 0 ? double.NaN : rmseSum / assessed, assessed == 0 ? double.NaN : spreadSum / assessed, assessed, median);
    }
}
