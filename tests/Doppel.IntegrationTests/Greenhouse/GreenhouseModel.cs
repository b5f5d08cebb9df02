using Doppel.Simulation;

namespace Doppel.IntegrationTests.Greenhouse;

/// <summary>
/// The greenhouse on the simulation kernel: one process steps from event to event (the hourly weather, the thermostat's
/// crossings, the end of the warm-up), and the temperature between events is the exact solution of
/// dT/dt = (outside − T) / τ + power·heater, so a thermostat crossing is found in closed form. Measures the share of
/// time the heater is on and the mean temperature after the warm-up.
/// </summary>
public sealed class GreenhouseModel
{
    private readonly Doppel.Simulation.Simulation _sim;
    private readonly GreenhouseClimate _climate;
    private double _temperature;
    private double _outside;
    private double _since;
    private double _measureFrom;
    private double _heating;
    private double _integral;

    public GreenhouseModel(Doppel.Simulation.Simulation sim, GreenhouseClimate climate, double temperature)
    {
        _sim = sim;
        _climate = climate;
        _temperature = temperature;
        HeaterOn = temperature < climate.Setpoint;
    }

    public double Temperature => _temperature;

    public bool HeaterOn { get; private set; }

    /// <summary>Starts the process; <see cref="AdvanceTo"/> moves it on (a live replica), <see cref="Run"/> runs it through.</summary>
    public void Start(double warmup)
    {
        _measureFrom = warmup;
        _outside = Weather();
        _sim.Process(Climate());
    }

    public void AdvanceTo(double time)
    {
        _sim.Run(time);
        Sync();
    }

    public (double Heating, double MeanTemperature) Run(double duration, double warmup)
    {
        Start(warmup);
        AdvanceTo(duration);
        var measured = duration - warmup;
        return (_heating / measured, _integral / measured);
    }

    private IEnumerable<Event> Climate()
    {
        while (true)
        {
            var nextHour = Math.Floor(_sim.Now) + 1;
            var next = Math.Min(nextHour, _sim.Now + UntilThermostat());
            if (_sim.Now < _measureFrom)
            {
                next = Math.Min(next, _measureFrom);
            }
            yield return _sim.Timeout(next - _sim.Now);
            Sync();
            if (_sim.Now >= nextHour)
            {
                _outside = Weather();
            }
            var (low, high) = (_climate.Setpoint - (GreenhouseClimate.Band / 2), _climate.Setpoint + (GreenhouseClimate.Band / 2));
            if (HeaterOn && _temperature >= high - 1e-9)
            {
                HeaterOn = false;
            }
            else if (!HeaterOn && _temperature <= low + 1e-9)
            {
                HeaterOn = true;
            }
        }
    }

    private double Weather() => _climate.OutsideSpread > 0 ? _sim.Random.Normal(_climate.OutsideMean, _climate.OutsideSpread) : _climate.OutsideMean;

    private double Settles => _outside + (HeaterOn ? _climate.HeaterPower * _climate.TimeConstant : 0);

    /// <summary>Hours until the temperature reaches the thermostat's next switching point, or infinity.</summary>
    private double UntilThermostat()
    {
        var target = HeaterOn ? _climate.Setpoint + (GreenhouseClimate.Band / 2) : _climate.Setpoint - (GreenhouseClimate.Band / 2);
        var (from, to) = (_temperature - Settles, target - Settles);
        // The exponential reaches the target only if it lies between here and where it settles.
        return from != 0 && to / from is > 0 and < 1 ? -_climate.TimeConstant * Math.Log(to / from) : double.PositiveInfinity;
    }

    /// <summary>Brings the temperature, the heating time and the temperature's integral up to now (the measured part only).</summary>
    private void Sync()
    {
        var (start, end) = (Math.Max(_since, _measureFrom), _sim.Now);
        var settles = Settles;
        if (end > start)
        {
            var atStart = settles + ((_temperature - settles) * Math.Exp(-(start - _since) / _climate.TimeConstant));
            var span = end - start;
            _integral += (settles * span) + ((atStart - settles) * _climate.TimeConstant * (1 - Math.Exp(-span / _climate.TimeConstant)));
            _heating += HeaterOn ? span : 0;
        }
        _temperature = settles + ((_temperature - settles) * Math.Exp(-(_sim.Now - _since) / _climate.TimeConstant));
        _since = _sim.Now;
    }
}
