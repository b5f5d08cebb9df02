using System.Text.Json.Nodes;
using Doppel.Analytics.Rul.Internal;

namespace Doppel.Analytics.Rul;

/// <summary>
/// A trained remaining-useful-life predictor: it reads the last <see cref="Window"/> rows of a unit's
/// <see cref="Channels"/> and returns the RUL with a calibrated interval. Immutable and safe to share between threads.
/// </summary>
public sealed partial class RulPredictor
{
    internal RulPredictor(string kind, int cap, double coverage, Preprocessor preprocessor, TreeEnsemble? trees, SequenceModel? sequence,
        double treeWeight, ConformalBins intervals, RulMetrics validation, JsonObject hyperParameters)
    {
        Kind = kind;
        Cap = cap;
        Coverage = coverage;
        Preprocessor = preprocessor;
        Trees = trees;
        Sequence = sequence;
        TreeWeight = treeWeight;
        Intervals = intervals;
        Validation = validation;
        HyperParameters = hyperParameters;
        Features = trees is not null ? WindowFeatures.Names(preprocessor.SensorNames, preprocessor.Window) : [.. preprocessor.SensorNames, "cycle"];
    }

    /// <summary>"gbt", "sequence" or "ensemble".</summary>
    public string Kind { get; }

    /// <summary>The input channels, in the order of the values of each row given to <see cref="Predict"/>.</summary>
    public IReadOnlyList<string> Channels => Preprocessor.Channels;

    /// <summary>The rows the predictor reads, ending now; a shorter history is allowed (its first row is repeated).</summary>
    public int Window => Preprocessor.Window;

    /// <summary>Metrics on the validation units held out of training, cut at every cycle: RMSE and score against the truth capped at the cap, coverage against the uncapped truth.</summary>
    public RulMetrics Validation { get; }

    /// <summary>The models' input features: window statistics of each sensor and the cycle.</summary>
    public IReadOnlyList<string> Features { get; }

    /// <summary>The cap of the training target.</summary>
    public int Cap { get; }

    /// <summary>The nominal coverage of the intervals.</summary>
    public double Coverage { get; }

    internal Preprocessor Preprocessor { get; }
    internal TreeEnsemble? Trees { get; }
    internal SequenceModel? Sequence { get; }
    internal double TreeWeight { get; }
    internal ConformalBins Intervals { get; }
    internal JsonObject HyperParameters { get; }

    /// <summary>The RUL and its interval after the last of <paramref name="rows"/> (one unit's rows, oldest first, values in <see cref="Channels"/> order).</summary>
    public RulEstimate Predict(IReadOnlyList<double[]> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var (window, cycles) = Preprocessor.Prepare(rows);
        return Intervals.Interval(Point(window, cycles));
    }

    /// <summary>
    /// How much each input channel moves the prediction: the prediction minus the prediction with that channel held at
    /// its regime's training mean over the window (the cycle: at the training mean cycle); largest effects first.
    /// </summary>
    public IReadOnlyList<(string Feature, double Contribution)> Explain(IReadOnlyList<double[]> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var (window, cycles) = Preprocessor.Prepare(rows);
        var baseline = Point(window, cycles);
        var sensors = Preprocessor.Sensors;
        var contributions = new List<(string, double)>();
        var names = Preprocessor.SensorNames.ToArray();
        for (var s = 0; s < sensors; s++)
        {
            var held = (float[])window.Clone();
            for (var t = 0; t < Window; t++)
            {
                held[t * sensors + s] = 0;
            }
            contributions.Add((names[s], baseline - Point(held, cycles)));
        }
        var meanCycles = new float[cycles.Length];
        Array.Fill(meanCycles, (float)Preprocessor.CycleMean);
        contributions.Add(("cycle", baseline - Point(window, meanCycles)));
        return [.. contributions.OrderByDescending(c => Math.Abs(c.Item2))];
    }

    /// <summary>What the predictor is: kind, inputs, regimes, dropped sensors, the hyper-parameters chosen on validation, the intervals, the validation metrics.</summary>
    public JsonObject Describe()
    {
        var regimes = new JsonArray();
        foreach (var centroid in Preprocessor.Centroids)
        {
            var settings = new JsonObject();
            for (var s = 0; s < Preprocessor.SettingIndexes.Length; s++)
            {
                settings[Channels[Preprocessor.SettingIndexes[s]]] = Math.Round(centroid[s] * Preprocessor.SettingScale[s] + Preprocessor.SettingMean[s], 4);
            }
            regimes.Add(settings);
        }
        var bins = new JsonArray();
        for (var b = 0; b < Intervals.Lower.Length; b++)
        {
            bins.Add(new JsonObject
            {
                ["predictedAbove"] = b == 0 ? null : Math.Round(Intervals.Edges[b - 1], 2),
                ["lower"] = Math.Round(Intervals.Lower[b], 2),
                ["upper"] = Math.Round(Intervals.Upper[b], 2),
            });
        }
        return new JsonObject
        {
            ["kind"] = Kind,
            ["target"] = "rul",
            ["cap"] = Cap,
            ["window"] = Window,
            ["channels"] = new JsonArray([.. Channels.Select(c => (JsonNode?)c)]),
            ["sensors"] = new JsonArray([.. Preprocessor.SensorNames.Select(c => (JsonNode?)c)]),
            ["droppedNearConstant"] = new JsonArray([.. Preprocessor.Dropped.Select(c => (JsonNode?)c)]),
            ["regimes"] = regimes,
            ["features"] = new JsonArray([.. Features.Select(c => (JsonNode?)c)]),
            ["hyperParameters"] = HyperParameters.DeepClone(),
            ["intervals"] = new JsonObject { ["coverage"] = Coverage, ["method"] = "Mondrian split conformal by predicted-RUL bin", ["bins"] = bins },
            ["validation"] = new JsonObject { ["rmse"] = Validation.Rmse, ["score"] = Validation.Score, ["coverage"] = Validation.Coverage, ["units"] = Validation.Units },
        };
    }

    /// <summary>The point prediction (RUL in cycles, not negative) for a prepared window.</summary>
    internal double Point(float[] window, float[] cycles)
    {
        double tree = 0, sequence = 0;
        if (Trees is not null)
        {
            var features = new float[WindowFeatures.Count(Preprocessor.Sensors)];
            WindowFeatures.Compute(window, cycles, Preprocessor.Sensors, features);
            tree = Trees.Predict(features);
        }
        if (Sequence is not null)
        {
            sequence = Sequence.Predict(window, cycles);
        }
        var point = Trees is null ? sequence : Sequence is null ? tree : TreeWeight * tree + (1 - TreeWeight) * sequence;
        return Math.Max(0, point);
    }

    /// <summary>The trees or the sequence model of an ensemble alone (with the ensemble's intervals), so a bench can show what each brings.</summary>
    internal RulPredictor? Component(string kind) => (kind, Kind) switch
    {
        (_, _) when kind == Kind => this,
        ("gbt", "ensemble") => new RulPredictor("gbt", Cap, Coverage, Preprocessor, Trees, null, 1, Intervals, Validation, HyperParameters),
        ("sequence", "ensemble") => new RulPredictor("sequence", Cap, Coverage, Preprocessor, null, Sequence, 0, Intervals, Validation, HyperParameters),
        _ => null,
    };

    /// <summary>The rows of a unit in this predictor's channel order.</summary>
    internal double[][] Inputs(Trajectory unit) => Preprocessor.Project(unit);
}
