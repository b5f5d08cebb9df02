using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.LightGbm;

namespace Doppel.Analytics.Rul.Internal;

/// <summary>
/// Gradient-boosted regression trees: trained by LightGBM through ML.NET, then held as plain arrays so a prediction is a
/// few hundred comparisons, thread-safe, and the trees save into the predictor's own file.
/// </summary>
internal sealed class TreeEnsemble
{
    public required double Bias { get; init; }
    public required Tree[] Trees { get; init; }

    /// <summary>One tree; a negative child is the complement (~i) of a leaf index; a tree without splits has one leaf.</summary>
    internal sealed record Tree(int[] Left, int[] Right, int[] Feature, float[] Threshold, double[] Leaves, double Weight);

    public double Predict(ReadOnlySpan<float> features, int trees = int.MaxValue)
    {
        var sum = Bias;
        var count = Math.Min(trees, Trees.Length);
        for (var i = 0; i < count; i++)
        {
            sum += Leaf(Trees[i], features);
        }
        return sum;
    }

    public static double Leaf(Tree tree, ReadOnlySpan<float> features)
    {
        if (tree.Left.Length == 0)
        {
            return tree.Weight * tree.Leaves[0];
        }
        var node = 0;
        while (node >= 0)
        {
            node = features[tree.Feature[node]] <= tree.Threshold[node] ? tree.Left[node] : tree.Right[node];
        }
        return tree.Weight * tree.Leaves[~node];
    }

    public sealed record Parameters(int Leaves, int MinLeaf, double LearningRate, int Iterations, double FeatureFraction, double Subsample);

    private sealed class Example
    {
        public float[] Features { get; set; } = [];
        public float Label { get; set; }
    }

    public static TreeEnsemble Train(IReadOnlyList<float[]> features, IReadOnlyList<float> labels, Parameters parameters, int seed) =>
        Fit(features, labels, parameters, seed).Trees;

    /// <summary>The same model scored by ML.NET itself, so a test can hold the array evaluator to it.</summary>
    internal static (TreeEnsemble Trees, Func<float[], float> Reference) TrainWithReference(IReadOnlyList<float[]> features, IReadOnlyList<float> labels, Parameters parameters, int seed)
    {
        var (trees, ml, schema, transformer) = Fit(features, labels, parameters, seed);
        var engine = ml.Model.CreatePredictionEngine<Example, Prediction>(transformer, inputSchemaDefinition: schema);
        return (trees, f => engine.Predict(new Example { Features = f }).Score);
    }

    private static (TreeEnsemble Trees, MLContext Ml, SchemaDefinition Schema, ITransformer Transformer) Fit(IReadOnlyList<float[]> features, IReadOnlyList<float> labels, Parameters parameters, int seed)
    {
        var ml = new MLContext(seed);
        var schema = SchemaDefinition.Create(typeof(Example));
        schema[nameof(Example.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, features[0].Length);
        var data = ml.Data.LoadFromEnumerable(features.Select((f, i) => new Example { Features = f, Label = labels[i] }), schema);
        var trainer = ml.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options
        {
            LabelColumnName = nameof(Example.Label),
            FeatureColumnName = nameof(Example.Features),
            NumberOfIterations = parameters.Iterations,
            LearningRate = parameters.LearningRate,
            NumberOfLeaves = parameters.Leaves,
            MinimumExampleCountPerLeaf = parameters.MinLeaf,
            Seed = seed,
            Deterministic = true,
            // One thread: LightGBM's OpenMP workers spin-wait, and on a shared machine two of them ran ten times slower than one.
            NumberOfThreads = 1,
            Silent = true,
            Verbose = false,
            Booster = new GradientBooster.Options
            {
                FeatureFraction = parameters.FeatureFraction,
                SubsampleFraction = parameters.Subsample,
                SubsampleFrequency = parameters.Subsample < 1 ? 1 : 0,
            },
        });
        var transformer = trainer.Fit(data);
        var ensemble = transformer.Model.TrainedTreeEnsemble;
        var trees = new Tree[ensemble.Trees.Count];
        for (var i = 0; i < trees.Length; i++)
        {
            var tree = ensemble.Trees[i];
            trees[i] = new Tree([.. tree.LeftChild], [.. tree.RightChild], [.. tree.NumericalSplitFeatureIndexes], [.. tree.NumericalSplitThresholds], [.. tree.LeafValues], ensemble.TreeWeights[i]);
        }
        return (new TreeEnsemble { Bias = ensemble.Bias, Trees = trees }, ml, schema, transformer);
    }

    private sealed class Prediction
    {
        public float Score { get; set; }
    }
}
