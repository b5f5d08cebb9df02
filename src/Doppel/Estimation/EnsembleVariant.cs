namespace Doppel.Estimation;

/// <summary>The analysis an <see cref="EnsembleKalmanFilter"/> uses.</summary>
public enum EnsembleVariant
{
    /// <summary>The stochastic EnKF (Evensen 1994; Burgers et al. 1998): each member assimilates a perturbed observation.</summary>
    Stochastic,

    /// <summary>The ensemble transform Kalman filter with the symmetric square root (Hunt et al. 2007); LETKF when localised.</summary>
    Etkf,
}
