namespace Doppel.Packs.Health.Trials;

/// <summary>
/// The zones of the control-variability grid (Magni et al. 2008, J Diabetes Sci Technol 2(4):630–635): where a run's
/// 2.5th (minimum) and 97.5th (maximum) BG percentiles fall, from accurate control (A) to erroneous control (E).
/// </summary>
public enum CvgaZone
{
    /// <summary>Accurate control: minimum above 90, maximum below 180 mg/dL.</summary>
    A,

    /// <summary>Benign deviation into hypoglycaemia: minimum 70–90, maximum below 180.</summary>
    LowerB,

    /// <summary>Benign deviation into hyperglycaemia: minimum above 90, maximum 180–300.</summary>
    UpperB,

    /// <summary>Benign control deviations: minimum 70–90, maximum 180–300.</summary>
    B,

    /// <summary>Over-correction of hyperglycaemia: minimum below 70, maximum below 180.</summary>
    LowerC,

    /// <summary>Over-correction of hypoglycaemia: minimum above 90, maximum above 300.</summary>
    UpperC,

    /// <summary>Failure to deal with hypoglycaemia: minimum below 70, maximum 180–300.</summary>
    LowerD,

    /// <summary>Failure to deal with hyperglycaemia: minimum 70–90, maximum above 300.</summary>
    UpperD,

    /// <summary>Erroneous control: minimum below 70, maximum above 300.</summary>
    E,
}
