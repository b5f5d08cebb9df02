namespace Doppel.Estimation;

/// <summary>
/// One of DAPPER's published twin-experiment figures (nansencenter/DAPPER, the "Suggested tuning" of its model
/// files): the set-up, the filter with DAPPER's settings, and the analysis rmse DAPPER reports for it.
/// </summary>
public sealed record DapperBenchmark(string Name, string Source, double PublishedRmse, TwinExperiment Experiment, Func<ulong, IStateEstimator> CreateFilter)
{
    /// <summary>The steps of the free run whose covariance is 3D-Var's climatology.</summary>
    public const int ClimatologySteps = 20_000;

    /// <summary>The figures the issue asks to match (ETKF and 3D-Var on Lorenz-96, the particle filter on Lorenz-63) and three more from the same table.</summary>
    public static IReadOnlyList<DapperBenchmark> All(int lorenz96Observations = 1000, int lorenz63Observations = 1000)
    {
        var l96 = Lorenz96.Sakov2008(lorenz96Observations);
        var l63 = Lorenz63.Sakov2012(lorenz63Observations);
        // 3D-Var's background: 0.02 × the climatology of a long free run (see TwinExperiment.Climatology).
        var climatology = new Lazy<double[,]>(() => l96.Climatology(ClimatologySteps, 0));
        const string l96Source = "dapper/mods/Lorenz96/sakov2008.py";
        return
        [
            new("ETKF N=24 infl=1.013 rot", l96Source, 0.18, l96, seed =>
                new EnsembleKalmanFilter(l96.Model, l96.InitialMean, l96.InitialCovariance, new EnsembleOptions { Members = 24, Inflation = 1.013, RandomRotation = true, Seed = seed })),
            new("3D-Var xB=0.02", l96Source, 0.41, l96, _ =>
                new ThreeDVar(l96.Model, l96.InitialMean, Scaled(climatology.Value, 0.02))),
            new("PF N=800 reg=0.9 NER=0.2", "dapper/mods/Lorenz63/sakov2012.py", 0.28, l63, seed =>
                new ParticleFilter(l63.Model, l63.InitialMean, l63.InitialCovariance, new ParticleFilterOptions { Particles = 800, Regularization = 0.9, ResamplingThreshold = 0.2, Seed = seed })),
            new("EnKF PertObs N=40 infl=1.06", l96Source, 0.22, l96, seed =>
                new EnsembleKalmanFilter(l96.Model, l96.InitialMean, l96.InitialCovariance, new EnsembleOptions { Members = 40, Inflation = 1.06, Variant = EnsembleVariant.Stochastic, Seed = seed })),
            // DAPPER's loc_rad is the distance at which its Gaspari–Cohn taper is exp(−½): a half-width of 1.82 loc_rad.
            new("LETKF N=7 infl=1.04 rot loc_rad=4", l96Source, 0.22, l96, seed =>
                new EnsembleKalmanFilter(l96.Model, l96.InitialMean, l96.InitialCovariance, new EnsembleOptions { Members = 7, Inflation = 1.04, RandomRotation = true, Seed = seed, Localization = Localization.Periodic(40, 4 * 1.82) })),
            // DAPPER's ExtKF inflates the forecast covariance by infl^dt.
            new("ExtKF infl=10", l96Source, 0.24, l96, _ =>
                new ExtendedKalmanFilter(l96.Model, l96.InitialMean, l96.InitialCovariance, Math.Pow(10, l96.StepTime))),
        ];
    }

    /// <summary>Generates the truth for <paramref name="seed"/>, runs the filter (seeded from it) and scores it.</summary>
    public TwinResult Run(ulong seed, CancellationToken ct = default)
    {
        var data = Experiment.Generate(seed);
        return Experiment.Run(CreateFilter(seed ^ 0x9E3779B97F4A7C15UL), data, ct);
    }

    private static double[,] Scaled(double[,] matrix, double factor)
    {
        var scaled = (double[,])matrix.Clone();
        for (var i = 0; i < scaled.GetLength(0); i++)
        {
            for (var j = 0; j < scaled.GetLength(1); j++)
            {
                scaled[i, j] *= factor;
            }
        }
        return scaled;
    }
}
