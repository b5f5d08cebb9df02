namespace Doppel.Packs.Health.Trials;

/// <summary>Which filter of the estimation library keeps the model-predictive controller's twin in step with the CGM.</summary>
public enum StateEstimatorKind
{
    /// <summary>The unscented Kalman filter (sigma points through the UVA/Padova model).</summary>
    Unscented,

    /// <summary>The extended Kalman filter (the model linearised by finite differences).</summary>
    Extended,
}
