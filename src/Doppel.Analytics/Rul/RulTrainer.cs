using System.Text.Json.Nodes;
using Doppel.Analytics.Rul.Internal;

namespace Doppel.Analytics.Rul;

/// <summary>
/// Trains a <see cref="RulPredictor"/> from run-to-failure trajectories. Protocol: a seeded share of the units is held
/// out for validation; the models learn min(RUL, cap) from every window of the other units; hyper-parameters, the
/// ensemble weight and the interval calibration are chosen on the held-out units, each truncated at every cycle (every
/// cut a test unit could have), with their true RUL uncapped; then the models are refitted on all units with what was chosen.
/// </summary>
public static class RulTrainer
{
    private static readonly TreeEnsemble.Parameters[] TreeGrid =
    [
        new(Leaves: 31, MinLeaf: 50, LearningRate: 0.03, Iterations: 700, FeatureFraction: 0.8, Subsample: 0.8),
        new(Leaves: 15, MinLeaf: 100, LearningRate: 0.03, Iterations: 700, FeatureFraction: 0.8, Subsample: 0.8),
    ];

    private static readonly SequenceModel.Settings SequenceSettings = new(Filters: 10, Kernel: 10, Layers: 3, Hidden: 64, LearningRate: 1e-3, BatchSize: 128, MaxEpochs: 100, Patience: 8, Plateau: 3);

    public static RulPredictor Train(IReadOnlyList<Trajectory> units, RulTrainingOptions options, IProgress<string>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(units);
        ArgumentNullException.ThrowIfNull(options);
        if (!RulTrainingOptions.Kinds.Contains(options.Kind))
        {
            throw new ArgumentException($"unknown kind '{options.Kind}': use {string.Join(", ", RulTrainingOptions.Kinds)}");
        }
        if (units.Count < 2)
        {
            throw new ArgumentException($"training needs at least 2 run-to-failure units (one is held out for validation), got {units.Count}");
        }
        if (options.Cap < 1 || options.Window < 1 || options.Coverage is <= 0 or >= 1 || options.ValidationShare is <= 0 or >= 1 || options.MaxEpochs < 1)
        {
            throw new ArgumentException("cap, window and epochs must be positive; coverage and the validation share must lie strictly between 0 and 1");
        }

        var random = new Random(options.Seed);
        var preprocessor = Preprocessor.Fit(units, options, random);
        var prepared = units.Select(u => preprocessor.Normalize(preprocessor.Project(u))).ToArray();
        var order = Enumerable.Range(0, units.Count).ToArray();
        Preprocessor.Shuffle(order, random);
        var validationCount = Math.Clamp((int)Math.Round(units.Count * options.ValidationShare), 1, units.Count - 1);
        var validation = order[..validationCount];
        var training = order[validationCount..];
        progress?.Report($"{units.Count} units: {training.Length} to train, {validation.Length} to validate; {preprocessor.Sensors} sensors, {preprocessor.Centroids.Length} regime(s)");

        // Validation: each held-out unit cut at every cycle (all the truncations a test unit could have), true RUL uncapped.
        var truncations = new List<(int Unit, int End, double Truth)>();
        foreach (var u in validation)
        {
            var length = prepared[u].Cycles.Length;
            for (var end = 0; end < length; end++)
            {
                truncations.Add((u, end, length - 1 - end));
            }
        }
        var capped = truncations.Select(t => Math.Min(t.Truth, options.Cap)).ToArray();
        var hyper = new JsonObject
        {
            ["protocol"] = $"{validation.Length} of {units.Count} units held out (seed {options.Seed}), each cut at every cycle; choices by RMSE against the capped truth there; intervals from residuals against the uncapped truth; models refitted on all units with the choices",
        };

        TreeEnsemble? trees = null;
        double[]? treeValidation = null;
        TreeEnsemble.Parameters? treeChoice = null;
        if (options.Kind is "gbt" or "ensemble")
        {
            var (features, labels) = TreeSamples(preprocessor, prepared, training, options.Cap);
            var validationFeatures = truncations.Select(t => TreeFeatures(preprocessor, prepared[t.Unit], t.End)).ToArray();
            var best = (Rmse: double.MaxValue, Trees: 0, Parameters: TreeGrid[0], Predictions: Array.Empty<double>());
            progress?.Report($"gbt: {features.Count} training windows, {validationFeatures.Length} validation windows, {features[0].Length} features");
            foreach (var parameters in TreeGrid)
            {
                ct.ThrowIfCancellationRequested();
                var model = TreeEnsemble.Train(features, labels, parameters, options.Seed);
                progress?.Report($"gbt fitted: {model.Trees.Length} trees");
                var sums = validationFeatures.Select(_ => model.Bias).ToArray();
                for (var tree = 0; tree < model.Trees.Length; tree++)
                {
                    for (var i = 0; i < sums.Length; i++)
                    {
                        sums[i] += TreeEnsemble.Leaf(model.Trees[tree], validationFeatures[i]);
                    }
                    if ((tree + 1) % 10 == 0 || tree == model.Trees.Length - 1)
                    {
                        var rmse = Rmse(sums, capped);
                        if (rmse < best.Rmse)
                        {
                            best = (rmse, tree + 1, parameters, sums.Select(s => Math.Max(0, s)).ToArray());
                        }
                    }
                }
                progress?.Report($"gbt leaves {parameters.Leaves}, min leaf {parameters.MinLeaf}: best validation RMSE so far {best.Rmse:F2} at {best.Trees} trees");
            }
            treeChoice = best.Parameters with { Iterations = best.Trees };
            treeValidation = best.Predictions;
            var (allFeatures, allLabels) = TreeSamples(preprocessor, prepared, order, options.Cap);
            trees = TreeEnsemble.Train(allFeatures, allLabels, treeChoice, options.Seed);
            hyper["gbt"] = new JsonObject
            {
                ["trainer"] = "LightGBM (ML.NET)",
                ["leaves"] = treeChoice.Leaves,
                ["minExamplesPerLeaf"] = treeChoice.MinLeaf,
                ["learningRate"] = treeChoice.LearningRate,
                ["trees"] = treeChoice.Iterations,
                ["featureFraction"] = treeChoice.FeatureFraction,
                ["subsample"] = treeChoice.Subsample,
                ["validationRmseCapped"] = Math.Round(best.Rmse, 3),
            };
        }

        SequenceModel? sequence = null;
        double[]? sequenceValidation = null;
        if (options.Kind is "sequence" or "ensemble")
        {
            var shape = new ConvNet.Shape(options.Window, preprocessor.Sensors + 1, SequenceSettings.Filters, SequenceSettings.Kernel, SequenceSettings.Layers, SequenceSettings.Hidden);
            var scaling = new SequenceModel { Network = ConvNet.Create(shape, new Random(0)), CycleMean = preprocessor.CycleMean, Cap = options.Cap };
            var (inputs, targets) = SequenceSamples(preprocessor, scaling, prepared, training, options.Cap);
            var (validationInputs, validationTargets) = SequenceSamples(preprocessor, scaling, prepared, validation, options.Cap);
            var settings = SequenceSettings with { MaxEpochs = options.MaxEpochs };
            var fitted = SequenceModel.Train(shape, settings, preprocessor.CycleMean, options.Cap, inputs, targets, validationInputs, validationTargets, null, options.Seed, options.Threads, progress, ct);
            progress?.Report($"sequence: best validation RMSE {fitted.ValidationRmse:F2} at epoch {fitted.Schedule.Length}; refitting on all units");
            sequenceValidation = truncations.Select(t => Math.Max(0, PredictSequence(fitted.Model, preprocessor, prepared[t.Unit], t.End))).ToArray();
            var (allInputs, allTargets) = SequenceSamples(preprocessor, scaling, prepared, order, options.Cap);
            sequence = SequenceModel.Train(shape, settings, preprocessor.CycleMean, options.Cap, allInputs, allTargets, null, null, fitted.Schedule, options.Seed, options.Threads, null, ct).Model;
            hyper["sequence"] = new JsonObject
            {
                ["network"] = $"1D CNN: {shape.Layers} x conv({shape.Filters} filters, kernel {shape.Kernel}, tanh), conv(1, kernel {ConvNet.Shape.LastKernel}), dense({shape.Hidden}, tanh), linear",
                ["optimizer"] = $"Adam, learning rate {settings.LearningRate} halved after {settings.Plateau} epochs without progress, batch {settings.BatchSize}",
                ["epochs"] = fitted.Schedule.Length,
                ["finalLearningRate"] = fitted.Schedule[^1],
                ["validationRmseWindows"] = Math.Round(fitted.ValidationRmse, 3),
                ["parameters"] = shape.Count,
            };
        }

        // The ensemble weight on the trees, then the intervals, on the validation truncations.
        var weight = options.Kind == "gbt" ? 1.0 : options.Kind == "sequence" ? 0.0 : 0.5;
        if (treeValidation is not null && sequenceValidation is not null)
        {
            var bestRmse = double.MaxValue;
            for (var w = 0.0; w <= 1.0001; w += 0.05)
            {
                var rmse = Rmse(Combine(treeValidation, sequenceValidation, w), capped);
                if (rmse < bestRmse)
                {
                    (bestRmse, weight) = (rmse, Math.Round(w, 2));
                }
            }
            hyper["ensemble"] = new JsonObject { ["treeWeight"] = weight, ["validationRmseCapped"] = Math.Round(bestRmse, 3) };
        }
        var points = Combine(treeValidation ?? sequenceValidation!, sequenceValidation ?? treeValidation!, weight);
        var truths = truncations.Select(t => t.Truth).ToArray();
        var intervals = ConformalBins.Fit(points, truths, options.Cap, options.Coverage);
        var metrics = ValidationMetrics(points, truths, truncations.Select(t => t.Unit).ToArray(), validation, options.Cap, options.Coverage);
        progress?.Report($"validation: RMSE {metrics.Rmse:F2}, score {metrics.Score:F1}, interval coverage {metrics.Coverage:P0} (cross-fitted)");
        return new RulPredictor(options.Kind, options.Cap, options.Coverage, preprocessor, trees, sequence, weight, intervals, metrics, hyper);
    }

    /// <summary>RMSE and score over the truncations against the truth capped at the target's cap (uncapped, cuts early in a
    /// unit's life would dominate with errors no capped predictor can avoid); coverage against the uncapped truth, cross-fitted (calibrate on half the validation units, check on the other half, both ways), since in-sample coverage would be nominal by construction.</summary>
    private static RulMetrics ValidationMetrics(double[] points, double[] truths, int[] unitOf, int[] validation, double cap, double coverage)
    {
        double squares = 0, score = 0;
        for (var i = 0; i < points.Length; i++)
        {
            var d = points[i] - Math.Min(truths[i], cap);
            squares += d * d;
            score += NasaScore.Of(d);
        }
        var covered = 0;
        var checkedCount = 0;
        if (validation.Length >= 2)
        {
            var firstHalf = validation[..(validation.Length / 2)].ToHashSet();
            foreach (var half in new[] { true, false })
            {
                var calibrate = Enumerable.Range(0, points.Length).Where(i => firstHalf.Contains(unitOf[i]) == half).ToArray();
                var check = Enumerable.Range(0, points.Length).Where(i => firstHalf.Contains(unitOf[i]) != half).ToArray();
                var bins = ConformalBins.Fit(calibrate.Select(i => points[i]).ToArray(), calibrate.Select(i => truths[i]).ToArray(), cap, coverage);
                foreach (var i in check)
                {
                    var interval = bins.Interval(points[i]);
                    covered += truths[i] >= interval.Lower && truths[i] <= interval.Upper ? 1 : 0;
                    checkedCount++;
                }
            }
        }
        // The score is a sum over units: here its expectation for one random truncation per validation unit.
        return new RulMetrics(Math.Sqrt(squares / points.Length), score / points.Length * validation.Length, checkedCount == 0 ? double.NaN : covered / (double)checkedCount, validation.Length);
    }

    private static double[] Combine(double[] trees, double[] sequence, double weight) =>
        [.. trees.Select((t, i) => Math.Max(0, weight * t + (1 - weight) * sequence[i]))];

    private static double Rmse(IReadOnlyList<double> predicted, IReadOnlyList<double> truth)
    {
        double squares = 0;
        for (var i = 0; i < truth.Count; i++)
        {
            var d = Math.Max(0, predicted[i]) - truth[i];
            squares += d * d;
        }
        return Math.Sqrt(squares / truth.Count);
    }

    private static float[] TreeFeatures(Preprocessor preprocessor, (float[] Sensors, float[] Cycles) unit, int end)
    {
        var window = new float[preprocessor.Window * preprocessor.Sensors];
        var cycles = new float[preprocessor.Window];
        preprocessor.Slice(unit.Sensors, unit.Cycles, end, window, cycles);
        var features = new float[WindowFeatures.Count(preprocessor.Sensors)];
        WindowFeatures.Compute(window, cycles, preprocessor.Sensors, features);
        return features;
    }

    private static (List<float[]> Features, List<float> Labels) TreeSamples(Preprocessor preprocessor, (float[] Sensors, float[] Cycles)[] prepared, int[] units, int cap)
    {
        var features = new List<float[]>();
        var labels = new List<float>();
        foreach (var u in units)
        {
            var length = prepared[u].Cycles.Length;
            for (var end = 0; end < length; end++)
            {
                features.Add(TreeFeatures(preprocessor, prepared[u], end));
                labels.Add(Math.Min(length - 1 - end, cap));
            }
        }
        return (features, labels);
    }

    private static (float[] Inputs, float[] Targets) SequenceSamples(Preprocessor preprocessor, SequenceModel scaling, (float[] Sensors, float[] Cycles)[] prepared, int[] units, int cap)
    {
        var count = units.Sum(u => prepared[u].Cycles.Length);
        var size = preprocessor.Window * (preprocessor.Sensors + 1);
        var inputs = new float[count * size];
        var targets = new float[count];
        var window = new float[preprocessor.Window * preprocessor.Sensors];
        var cycles = new float[preprocessor.Window];
        var i = 0;
        foreach (var u in units)
        {
            var length = prepared[u].Cycles.Length;
            for (var end = 0; end < length; end++, i++)
            {
                preprocessor.Slice(prepared[u].Sensors, prepared[u].Cycles, end, window, cycles);
                scaling.Fill(window, cycles, inputs.AsSpan(i * size, size));
                targets[i] = Math.Min(length - 1 - end, cap);
            }
        }
        return (inputs, targets);
    }

    private static double PredictSequence(SequenceModel model, Preprocessor preprocessor, (float[] Sensors, float[] Cycles) unit, int end)
    {
        var window = new float[preprocessor.Window * preprocessor.Sensors];
        var cycles = new float[preprocessor.Window];
        preprocessor.Slice(unit.Sensors, unit.Cycles, end, window, cycles);
        return model.Predict(window, cycles);
    }
}
