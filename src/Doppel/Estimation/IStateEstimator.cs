namespace Doppel.Estimation;

/// <summary>
/// A sequential estimator of a hidden state: forecast with <see cref="Predict"/>, correct with <see cref="Update"/>.
/// Deterministic for its seed. A model that fails (throws, or returns non-finite values) is handled as each filter
/// documents: ensemble and particle filters drop the failed member, the Gaussian filters reject the step.
/// </summary>
public interface IStateEstimator
{
    /// <summary>The number of state components.</summary>
    int StateSize { get; }

    /// <summary>The time the estimate belongs to.</summary>
    double Time { get; }

    /// <summary>The estimate's mean (a copy).</summary>
    double[] Mean { get; }

    /// <summary>The estimate's covariance (a copy; for ensembles and particles, the sample covariance).</summary>
    double[,] Covariance { get; }

    /// <summary>Forecasts the estimate from <see cref="Time"/> to <see cref="Time"/> + <paramref name="dt"/> (dt ≥ 0, any size).</summary>
    void Predict(double dt);

    /// <summary>Corrects the estimate with an observation taken at <see cref="Time"/>; NaN entries are missing.</summary>
    void Update(ReadOnlySpan<double> observation);

    /// <summary>Draws <paramref name="count"/> states from the current estimate, the same for the same seed.</summary>
    IReadOnlyList<double[]> Sample(int count, ulong seed);
}
