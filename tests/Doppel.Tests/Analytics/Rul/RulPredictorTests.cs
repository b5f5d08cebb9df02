using Doppel.Analytics.Rul;

namespace Doppel.Tests.Analytics.Rul;

public sealed class RulPredictorTests(TrainedPredictors trained) : IClassFixture<TrainedPredictors>
{
    [Fact]
    public void A_small_training_beats_predicting_the_mean_on_units_it_never_saw()
    {
        var predictor = trained.Ensemble;
        var truth = CmapssSlice.Truth;
        var test = CmapssSlice.Test;

        var metrics = RulEvaluation.Evaluate(predictor, test, truth);

        // The trivial predictor: the mean capped target of the training windows, for every unit.
        var mean = trained.Training.SelectMany(u => Enumerable.Range(0, u.Rows.Length).Select(i => Math.Min(u.Rows.Length - 1 - i, 125.0))).Average();
        var trivial = Math.Sqrt(truth.Average(t => (t - mean) * (t - mean)));
        Assert.True(metrics.Rmse < 0.75 * trivial, $"RMSE {metrics.Rmse:F2} against {trivial:F2} for the mean");
        Assert.Equal(40, metrics.Units);
        // Held-out training units cut at every cycle, against their capped truth.
        var (model, constant) = (new List<double>(), new List<double>());
        foreach (var unit in trained.HeldOut)
        {
            var rows = predictor.Inputs(unit);
            for (var end = 30; end < rows.Length; end += 3)
            {
                var target = Math.Min(rows.Length - 1 - end, 125.0);
                model.Add(Math.Pow(predictor.Predict(rows[..(end + 1)]).Rul - target, 2));
                constant.Add(Math.Pow(mean - target, 2));
            }
        }
        Assert.True(model.Average() < 0.5 * constant.Average(), $"MSE {model.Average():F1} against {constant.Average():F1}");
    }

    [Fact]
    public void The_validation_error_a_predictor_carries_is_against_its_capped_target_so_it_reads_like_its_test_error()
    {
        var predictor = trained.Ensemble;
        var test = RulEvaluation.Evaluate(predictor, CmapssSlice.Test, CmapssSlice.Truth);

        // Against the uncapped truth of cuts early in life (RUL 200 and more) it read 45 for a predictor whose
        // test RMSE is 14: a figure that told users their predictor was broken.
        Assert.True(predictor.Validation.Rmse < 2 * test.Rmse, $"validation RMSE {predictor.Validation.Rmse:F1} against test RMSE {test.Rmse:F1}");
        Assert.True(predictor.Validation.Rmse > 0);
    }

    [Fact]
    public void The_90_percent_intervals_cover_about_90_percent_of_true_RULs_on_units_held_out_of_training()
    {
        var predictor = trained.Ensemble;
        var (covered, total) = (0, 0);
        // Each held-out training unit cut at every cycle; each test unit at every cycle (its RUL there: the file's + the cycles after).
        var units = trained.HeldOut.Select(u => (Unit: u, After: 0.0)).Concat(CmapssSlice.Test.Zip(CmapssSlice.Truth, (u, t) => (Unit: u, After: t)));
        foreach (var (unit, after) in units)
        {
            var rows = predictor.Inputs(unit);
            for (var end = 0; end < rows.Length; end++)
            {
                var estimate = predictor.Predict(rows[..(end + 1)]);
                var truth = after + rows.Length - 1 - end;
                Assert.True(estimate.Lower <= estimate.Rul && estimate.Rul <= estimate.Upper);
                covered += estimate.Lower <= truth && truth <= estimate.Upper ? 1 : 0;
                total++;
            }
        }
        Assert.InRange(covered / (double)total, 0.8, 1.0);
        Assert.Equal(0.9, predictor.Coverage);
    }

    [Fact]
    public void Intervals_above_the_cap_reach_beyond_it_because_the_truth_is_not_capped()
    {
        var estimate = trained.Ensemble.Predict(trained.Ensemble.Inputs(trained.HeldOut[0])[..10]);

        Assert.True(estimate.Rul > 100, $"early in life the RUL is near the cap, got {estimate.Rul:F1}");
        Assert.True(estimate.Upper > 125, $"the upper bound {estimate.Upper:F1} must reach past the cap");
    }

    [Fact]
    public void A_saved_predictor_loads_and_predicts_exactly_the_same()
    {
        var predictor = trained.Ensemble;
        using var file = new MemoryStream();
        predictor.Save(file);
        file.Position = 0;

        var loaded = RulPredictor.Load(file);

        Assert.True(loaded.IsSuccess, loaded.Error?.Message);
        Assert.Equal(predictor.Channels, loaded.Value.Channels);
        Assert.Equal(predictor.Window, loaded.Value.Window);
        Assert.Equal(predictor.Kind, loaded.Value.Kind);
        Assert.Equal(predictor.Validation, loaded.Value.Validation);
        Assert.Equal(predictor.Features, loaded.Value.Features);
        Assert.Equal(predictor.Describe().ToJsonString(), loaded.Value.Describe().ToJsonString());
        foreach (var unit in CmapssSlice.Test)
        {
            var rows = predictor.Inputs(unit);
            Assert.Equal(predictor.Predict(rows), loaded.Value.Predict(rows));
            Assert.Equal(predictor.Explain(rows), loaded.Value.Explain(rows));
        }
    }

    [Fact]
    public void A_file_that_is_not_a_predictor_is_damaged_or_from_a_newer_format_is_refused_with_a_reason()
    {
        using var saved = new MemoryStream();
        trained.Ensemble.Save(saved);
        var bytes = saved.ToArray();

        var garbage = RulPredictor.Load(new MemoryStream("hello, world"u8.ToArray()));
        var truncated = RulPredictor.Load(new MemoryStream(bytes[..(bytes.Length / 2)]));
        var future = (byte[])bytes.Clone();
        BitConverter.GetBytes(RulPredictor.FormatVersion + 1).CopyTo(future, 9);
        var newer = RulPredictor.Load(new MemoryStream(future));

        Assert.Equal("cannot load the RUL predictor: not a Doppel RUL predictor file (it does not start with DOPPELRUL)", garbage.Error?.Message);
        Assert.StartsWith("cannot load the RUL predictor: damaged or truncated", truncated.Error?.Message, StringComparison.Ordinal);
        Assert.Equal($"cannot load the RUL predictor: format version {RulPredictor.FormatVersion + 1}, but this build reads versions 1 to {RulPredictor.FormatVersion}", newer.Error?.Message);
    }

    [Fact]
    public void The_same_seed_trains_the_same_predictor_whatever_the_thread_count()
    {
        var again = RulTrainer.Train(trained.Training, trained.Options with { Threads = 1 });

        Assert.Equal(Bytes(trained.Ensemble), Bytes(again));
        var other = RulTrainer.Train(trained.Training, trained.Options with { Seed = 8, Kind = "gbt" });
        Assert.NotEqual(Bytes(trained.Ensemble), Bytes(other));
    }

    [Fact]
    public void Explain_ranks_channels_by_how_much_they_move_the_prediction()
    {
        var rows = trained.Ensemble.Inputs(trained.HeldOut[0]);

        var explanation = trained.Ensemble.Explain(rows);

        Assert.Equal(trained.Ensemble.Channels.Except(CmapssData.Settings).Order(), explanation.Select(e => e.Feature).Order());
        Assert.Equal(explanation.Select(e => Math.Abs(e.Contribution)).OrderDescending(), explanation.Select(e => Math.Abs(e.Contribution)));
        Assert.True(Math.Abs(explanation[0].Contribution) > 1, "at failure some channel must matter by more than a cycle");
    }

    [Fact]
    public void Describe_names_the_inputs_the_choices_made_on_validation_and_the_intervals()
    {
        var description = trained.Ensemble.Describe();

        Assert.Equal("ensemble", (string?)description["kind"]);
        Assert.Equal(30, (int?)description["window"]);
        Assert.Single(description["regimes"]!.AsArray());
        Assert.NotNull(description["hyperParameters"]!["gbt"]!["trees"]);
        Assert.NotNull(description["hyperParameters"]!["sequence"]!["epochs"]);
        Assert.InRange((double)description["hyperParameters"]!["ensemble"]!["treeWeight"]!, 0, 1);
        Assert.Equal(0.9, (double?)description["intervals"]!["coverage"]);
        Assert.True(trained.Ensemble.Validation.Units >= 1);
    }

    [Fact]
    public void Bad_training_input_is_refused_with_a_reason()
    {
        var one = Assert.Throws<ArgumentException>(() => RulTrainer.Train(trained.Training.Take(1).ToList(), new RulTrainingOptions()));
        var kind = Assert.Throws<ArgumentException>(() => RulTrainer.Train(trained.Training, new RulTrainingOptions { Kind = "forest" }));
        var channel = Assert.Throws<ArgumentException>(() => RulTrainer.Train(trained.Training, new RulTrainingOptions { Settings = ["altitude", "speed"] }));

        Assert.Contains("at least 2 run-to-failure units", one.Message, StringComparison.Ordinal);
        Assert.Equal("unknown kind 'forest': use gbt, sequence, ensemble", kind.Message);
        Assert.StartsWith("the training data have no channel 'speed'", channel.Message, StringComparison.Ordinal);
    }

    private static byte[] Bytes(RulPredictor predictor)
    {
        using var stream = new MemoryStream();
        predictor.Save(stream);
        return stream.ToArray();
    }
}
