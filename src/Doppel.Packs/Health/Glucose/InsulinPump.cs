using Doppel.Packs.Health.Glucose.Internal;

namespace Doppel.Packs.Health.Glucose;

/// <summary>
/// An insulin pump as simglucose's <c>InsulinPump</c>: a requested rate (U/min) is rounded to the pump's increment
/// (0.05 pmol, half to even as numpy's <c>round</c>) and clipped to its limits.
/// </summary>
public sealed class InsulinPump
{
    private const double UnitsToPmol = 6000;
    private readonly PumpParameters _parameters;

    private InsulinPump(PumpParameters parameters) => _parameters = parameters;

    /// <summary>The pumps simglucose ships: Cozmo, Insulet.</summary>
    public static IReadOnlyList<string> Names => SimglucoseData.Pumps.Select(p => p.Name).ToArray();

    /// <summary>The pump's name.</summary>
    public string Name => _parameters.Name;

    /// <summary>A pump by name (<c>Insulet</c>, <c>Cozmo</c>).</summary>
    public static Result<InsulinPump> Create(string name)
    {
        var parameters = SimglucoseData.Pumps.FirstOrDefault(p => p.Name == name?.Trim());
        if (parameters is null)
        {
            var hint = NearestName.Find(name ?? "", Names) is { } nearest ? $" (did you mean '{nearest}'?)" : "";
            return new DoppelError("unknown-pump", $"There is no insulin pump '{name}'{hint}: the pumps are {string.Join(", ", Names)}.");
        }
        return Result<InsulinPump>.Ok(new InsulinPump(parameters));
    }

    /// <summary>The basal rate the pump delivers for a requested one (U/min).</summary>
    public double Basal(double units)
    {
        var pmol = units * UnitsToPmol;
        pmol = Math.Round(pmol / _parameters.IncBasal) * _parameters.IncBasal;
        var rate = pmol / UnitsToPmol;
        rate = Math.Min(rate, _parameters.MaxBasal);
        return Math.Max(rate, _parameters.MinBasal);
    }

    /// <summary>The bolus rate the pump delivers for a requested one (U/min).</summary>
    public double Bolus(double units)
    {
        var pmol = units * UnitsToPmol;
        pmol = Math.Round(pmol / _parameters.IncBolus) * _parameters.IncBolus;
        var rate = pmol / UnitsToPmol;
        rate = Math.Min(rate, _parameters.MaxBolus);
        return Math.Max(rate, _parameters.MinBolus);
    }
}
