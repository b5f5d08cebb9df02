namespace Doppel.IntegrationTests.Greenhouse;

/// <summary>
/// A greenhouse's climate, in hours and °C: it loses heat towards the outside with time constant
/// <see cref="TimeConstant"/> (its insulation); its heater, when on, warms it by <see cref="HeaterPower"/> °C an hour; a thermostat
/// switches the heater on half a degree below the setpoint and off half a degree above it. The outside temperature
/// changes every hour, normal(<see cref="OutsideMean"/>, <see cref="OutsideSpread"/>).
/// </summary>
public sealed record GreenhouseClimate(double Setpoint, double HeaterPower, double TimeConstant, double OutsideMean, double OutsideSpread)
{
    public const double Band = 1;

    /// <summary>What is wrong, one message each.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!(TimeConstant > 0))
        {
            errors.Add($"the time constant must be positive, got {TimeConstant}.");
        }
        if (!(HeaterPower >= 0) || !(OutsideSpread >= 0))
        {
            errors.Add("the heater's power and the outside spread must be 0 or more.");
        }
        return errors;
    }
}
