using Doppel.Analytics.Rul;

namespace Doppel.Tests.Analytics.Rul;

/// <summary>The C-MAPSS FD001 slice shipped under Data/cmapss (40 train units, 40 test units and their true RULs).</summary>
internal static class CmapssSlice
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Data", "cmapss");

    public static IReadOnlyList<Trajectory> Train => Read("train_FD001.txt.gz");

    public static IReadOnlyList<Trajectory> Test => Read("test_FD001.txt.gz");

    public static IReadOnlyList<double> Truth
    {
        get
        {
            var result = CmapssData.ReadTruthFile(Path.Combine(Folder, "RUL_FD001.txt"));
            Assert.True(result.IsSuccess, result.Error?.Message);
            return result.Value;
        }
    }

    private static IReadOnlyList<Trajectory> Read(string file)
    {
        var result = CmapssData.ReadFile(Path.Combine(Folder, file));
        Assert.True(result.IsSuccess, result.Error?.Message);
        return result.Value;
    }
}

/// <summary>Predictors trained once for the tests that only use them: an ensemble on train units 1–32 (33–40 held out).</summary>
public sealed class TrainedPredictors
{
    public TrainedPredictors()
    {
        var train = CmapssSlice.Train;
        Training = [.. train.Take(32)];
        HeldOut = [.. train.Skip(32)];
        Options = new RulTrainingOptions { Kind = "ensemble", Seed = 7, Settings = CmapssData.Settings, MaxEpochs = 15, Threads = 2 };
        Ensemble = RulTrainer.Train(Training, Options);
    }

    public IReadOnlyList<Trajectory> Training { get; }
    public IReadOnlyList<Trajectory> HeldOut { get; }
    public RulTrainingOptions Options { get; }
    public RulPredictor Ensemble { get; }
}
