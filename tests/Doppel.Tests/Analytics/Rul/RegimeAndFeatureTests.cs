using Doppel.Analytics.Rul;
using Doppel.Analytics.Rul.Internal;

namespace Doppel.Tests.Analytics.Rul;

public sealed class RegimeAndFeatureTests
{
    [Fact]
    public void On_FD001_the_settings_show_one_regime_and_the_near_constant_sensors_are_dropped_leaving_the_14_informative_ones()
    {
        var options = new RulTrainingOptions { Settings = CmapssData.Settings };

        var preprocessor = Preprocessor.Fit(CmapssSlice.Train, options, new Random(1));

        Assert.Single(preprocessor.Centroids);
        Assert.Equal(CmapssData.InformativeSensors, preprocessor.SensorNames);
        Assert.Equal(["t2", "p2", "p15", "epr", "farB", "nfDmd", "pcnfrDmd"], preprocessor.Dropped);
        Assert.Equal(["cycle", "altitude", "mach", "throttle", .. CmapssData.InformativeSensors], preprocessor.Channels);
    }

    [Fact]
    public void Operating_regimes_are_found_by_clustering_the_settings_and_each_sensor_is_standardised_within_its_regime()
    {
        // Three operating points; the sensor's level depends on the regime (100, 200, 300) plus a slow drift and noise.
        var random = new Random(3);
        double[][] points = [[0, 0.0, 100], [20, 0.7, 100], [42, 0.84, 60]];
        var units = Enumerable.Range(0, 6).Select(u => new Trajectory($"u{u}", ["cycle", "altitude", "mach", "throttle", "temp", "flat"],
            [.. Enumerable.Range(1, 150).Select(c =>
            {
                var regime = random.Next(3);
                var p = points[regime];
                return new double[] { c, p[0] + random.NextDouble() * 0.01, p[1] + random.NextDouble() * 0.001, p[2], 100 * (regime + 1) + c * 0.05 + random.NextDouble(), 7 };
            })])).ToList();

        var preprocessor = Preprocessor.Fit(units, new RulTrainingOptions { Settings = ["altitude", "mach", "throttle"] }, new Random(1));

        Assert.Equal(3, preprocessor.Centroids.Length);
        Assert.Equal(["temp"], preprocessor.SensorNames);
        Assert.Equal(["flat"], preprocessor.Dropped);
        // Standardised within regimes, the regime's offset of 100 or 200 is gone: each regime's rows average about 0.
        var rows = preprocessor.Project(units[0]);
        var (values, _) = preprocessor.Normalize(rows);
        var byRegime = rows.Select((r, i) => (Altitude: Math.Round(r[1]), Value: values[i])).GroupBy(x => x.Altitude).ToList();
        Assert.Equal(3, byRegime.Count);
        Assert.All(byRegime, g => Assert.InRange(g.Average(x => x.Value), -0.6, 0.6));
        // Without regimes the offsets stay: the regimes' averages lie more than one standard deviation apart.
        var flat = Preprocessor.Fit(units, new RulTrainingOptions { Sensors = ["temp"] }, new Random(1));
        var (raw, _) = flat.Normalize(flat.Project(units[0]));
        var flatMeans = rows.Select((r, i) => (Altitude: Math.Round(r[1]), Value: raw[i])).GroupBy(x => x.Altitude).Select(g => g.Average(x => x.Value)).ToList();
        Assert.Single(flat.Centroids);
        Assert.True(flatMeans.Max() - flatMeans.Min() > 2);
    }

    [Fact]
    public void Window_features_give_level_spread_and_slope_of_each_sensor_and_the_cycle()
    {
        // One sensor rising by 2 per row from 0 over a window of 10 rows.
        var window = Enumerable.Range(0, 10).Select(t => (float)(2 * t)).ToArray();
        var cycles = Enumerable.Range(41, 10).Select(c => (float)c).ToArray();
        var features = new float[WindowFeatures.Count(1)];

        WindowFeatures.Compute(window, cycles, 1, features);

        Assert.Equal(["s.last5", "s.mean10", "s.sd10", "s.slope10", "s.slope10", "cycle"], WindowFeatures.Names(["s"], 10));
        Assert.Equal(14, features[0], 4);   // mean of 10, 12, 14, 16, 18
        Assert.Equal(9, features[1], 4);
        Assert.Equal(Math.Sqrt(33), features[2], 4);
        Assert.Equal(2, features[3], 4);
        Assert.Equal(2, features[4], 4);
        Assert.Equal(50, features[5]);
    }

    [Fact]
    public void A_history_shorter_than_the_window_is_padded_with_its_first_row()
    {
        var preprocessor = Preprocessor.Fit(CmapssSlice.Train, new RulTrainingOptions { Settings = CmapssData.Settings, Window = 30 }, new Random(1));
        var rows = preprocessor.Project(CmapssSlice.Train[0]).Take(5).ToArray();

        var (window, cycles) = preprocessor.Prepare(rows);

        Assert.Equal([.. Enumerable.Repeat(1f, 26), 2f, 3f, 4f, 5f], cycles);
        Assert.Equal(window.AsSpan(0, preprocessor.Sensors).ToArray(), window.AsSpan(25 * preprocessor.Sensors, preprocessor.Sensors).ToArray());
    }

    [Fact]
    public void The_array_tree_evaluator_gives_what_MLNET_gives_for_the_same_LightGBM_model()
    {
        var random = new Random(5);
        var features = Enumerable.Range(0, 2000).Select(_ => Enumerable.Range(0, 6).Select(_ => (float)random.NextDouble()).ToArray()).ToList();
        var labels = features.Select(f => (float)(10 * f[0] - 5 * f[1] * f[2] + (f[3] > 0.5 ? 3 : 0) + random.NextDouble())).ToList();

        var (trees, reference) = TreeEnsemble.TrainWithReference(features, labels, new TreeEnsemble.Parameters(15, 20, 0.1, 100, 1, 1), 3);

        Assert.Equal(100, trees.Trees.Length);
        foreach (var f in features.Take(200))
        {
            Assert.Equal(reference(f), trees.Predict(f), 3);
        }
    }
}
