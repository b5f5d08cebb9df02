using Doppel.Packs.Health.Glucose.Internal;

namespace Doppel.Packs.Health.Glucose;

/// <summary>
/// A continuous glucose monitor as simglucose's <c>CGMSensor</c>: every <see cref="SampleTime"/> minutes it reads the
/// patient's subcutaneous glucose plus the sensor's noise (Johnson SU over an AR(1), from numpy's generator seeded with
/// the same seed, so that a seed gives simglucose's noise), clipped to the sensor's range, and holds the reading between
/// samples.
/// </summary>
public sealed class CgmSensor
{
    private readonly SensorParameters _parameters;
    private readonly uint _seed;
    private CgmNoise _noise;
    private double _last;

    private CgmSensor(SensorParameters parameters, uint seed)
    {
        _parameters = parameters;
        _seed = seed;
        _noise = new CgmNoise(parameters, seed);
    }

    /// <summary>The sensors simglucose ships: Dexcom (3 min), GuardianRT (5 min), Navigator (1 min).</summary>
    public static IReadOnlyList<string> Names => SimglucoseData.Sensors.Select(s => s.Name).ToArray();

    /// <summary>The sensor's name.</summary>
    public string Name => _parameters.Name;

    /// <summary>Minutes between readings.</summary>
    public double SampleTime => _parameters.SampleTime;

    /// <summary>The noise seed (numpy's <c>RandomState</c> seed).</summary>
    public uint Seed => _seed;

    /// <summary>The lowest and highest reading (mg/dL).</summary>
    public (double Min, double Max) Range => (_parameters.Min, _parameters.Max);

    /// <summary>A sensor by name (<c>Dexcom</c>, <c>GuardianRT</c>, <c>Navigator</c>; case as written) with its noise seed.</summary>
    public static Result<CgmSensor> Create(string name, uint seed)
    {
        var parameters = SimglucoseData.Sensors.FirstOrDefault(s => s.Name == name?.Trim());
        if (parameters is null)
        {
            var hint = NearestName.Find(name ?? "", Names) is { } nearest ? $" (did you mean '{nearest}'?)" : "";
            return new DoppelError("unknown-sensor", $"There is no CGM sensor '{name}'{hint}: the sensors are {string.Join(", ", Names)}.");
        }
        return Result<CgmSensor>.Ok(new CgmSensor(parameters, seed));
    }

    /// <summary>The reading now: a new one when the patient's time is a multiple of the sample time, else the last one.</summary>
    public double Measure(VirtualPatient patient)
    {
        ArgumentNullException.ThrowIfNull(patient);
        if (patient.Time % _parameters.SampleTime == 0)
        {
            var cgm = patient.Glucose + _noise.Next();
            _last = Math.Min(Math.Max(cgm, _parameters.Min), _parameters.Max);
        }
        return _last;
    }

    /// <summary>Back to the start of its noise sequence, as simglucose's <c>reset()</c>.</summary>
    public void Reset()
    {
        _noise = new CgmNoise(_parameters, _seed);
        _last = 0;
    }
}
