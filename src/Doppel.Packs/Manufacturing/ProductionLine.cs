using Doppel.Simulation;
using Doppel.Simulation.Continuous;

namespace Doppel.Packs.Manufacturing;

/// <summary>
/// The behavior of a serial line on the discrete-event kernel: each station takes a part from the buffer before it
/// (starved while it is empty), works it (failing and being repaired as its working time runs), scraps it or passes it
/// on (blocked while the next buffer is full). A station with a thermal limit carries a continuous temperature that
/// the kernel integrates between events; it stops to cool when the temperature crosses its limit (a hybrid model).
/// Statistics start after the warm-up.
/// </summary>
public sealed partial class ProductionLine
{
    private readonly LineDefinition _line;
    private readonly Doppel.Simulation.Simulation _sim;
    private readonly Store<Part>[] _buffers;
    private readonly StationClock[] _clocks;
    private readonly long[] _processed;
    private readonly long[] _failures;
    // The repair of a calendar-time failure in progress, per station, which the station waits for before working.
    private readonly Event?[] _broken;
    private readonly long[] _good;
    private readonly StationThermal?[] _thermal;
    private readonly TimeWeightedMonitor _wip;
    private readonly SampleMonitor _leadTime = new();
    // Since the start, warm-up included: what a live replica reports (see Snapshot).
    private readonly long[] _finished;
    private readonly double[] _lastCycle;
    private long _shipped;
    private double _warmup;
    private long _completed;
    private bool _started;

    /// <param name="sim">The simulation to run in.</param>
    /// <param name="line">The line.</param>
    /// <param name="initial">Where the line starts (buffer levels, machines down), e.g. from its live twin; empty and all up by default.</param>
    public ProductionLine(Doppel.Simulation.Simulation sim, LineDefinition line, LineState? initial = null)
    {
        ArgumentNullException.ThrowIfNull(sim);
        ArgumentNullException.ThrowIfNull(line);
        if (line.Validate() is { Count: > 0 } errors)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(line));
        }
        if (line.Buffers.Any(b => b < 1))
        {
            throw new ArgumentException("Buffers must hold at least one part.", nameof(line));
        }
        _sim = sim;
        _line = line;
        _buffers = [.. line.Buffers.Select(capacity => new Store<Part>(sim, capacity))];
        _thermal = [.. line.Stations.Select(s => s.Thermal is { } limit ? new StationThermal(sim, limit) : null)];
        _clocks = [.. line.Stations.Select((_, i) => new StationClock(sim, line.Shifts, _thermal[i]))];
        _processed = new long[line.Stations.Count];
        _failures = new long[line.Stations.Count];
        _broken = new Event?[line.Stations.Count];
        _good = new long[line.Stations.Count];
        _finished = new long[line.Stations.Count];
        _lastCycle = new double[line.Stations.Count];
        _wip = new TimeWeightedMonitor(sim);
        _crews = line.Crews is { } crews ? new Resource(sim, crews) : null;
        _initial = initial;
        if (initial is not null && (initial.BufferLevels.Count != line.Buffers.Count || initial.StationsDown.Count != line.Stations.Count))
        {
            throw new ArgumentException($"The initial state has {initial.BufferLevels.Count} buffer levels and {initial.StationsDown.Count} stations; the line has {line.Buffers.Count} and {line.Stations.Count}.", nameof(initial));
        }
    }

    private readonly LineState? _initial;
    private readonly Resource? _crews;

    /// <summary>Runs the line for <paramref name="duration"/> time units, measuring after <paramref name="warmup"/>.</summary>
    /// <param name="duration">How long to run.</param>
    /// <param name="warmup">How long to run before measuring.</param>
    /// <param name="ct">Checked a hundred times over the run, so that a long replication stops soon; the run is the same in one go or in parts.</param>
    public LineResult Run(double duration, double warmup = 0, CancellationToken ct = default)
    {
        if (!(duration > warmup) || warmup < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), $"Need 0 <= warm-up ({warmup}) < duration ({duration}).");
        }
        var start = _sim.Now;
        Start(warmup);
        if (!ct.CanBeCanceled)
        {
            _sim.Run(start + duration);
        }
        else
        {
            for (var part = 1; part <= 100; part++)
            {
                ct.ThrowIfCancellationRequested();
                _sim.Run(part == 100 ? start + duration : start + (duration * part / 100));
            }
        }
        return Result(duration - warmup);
    }

    /// <summary>
    /// Starts the line's processes without running them, for a replica driven step by step: <see cref="AdvanceTo"/>
    /// moves it on and <see cref="Snapshot"/> reads where it stands. <see cref="Run"/> is Start and one advance.
    /// </summary>
    public void Start(double warmup = 0)
    {
        if (_started)
        {
            throw new InvalidOperationException("The line has already started.");
        }
        _started = true;
        _warmup = _sim.Now + warmup;
        if (_initial is not null)
        {
            for (var b = 0; b < _buffers.Length; b++)
            {
                for (var k = 0; k < Math.Min(_initial.BufferLevels[b], _line.Buffers[b]); k++)
                {
                    _buffers[b].Put(new Part(_sim.Now));
                    _wip.Increment();
                }
            }
        }
        for (var i = 0; i < _line.Stations.Count; i++)
        {
            var process = _sim.Process(Station(i));
            if (_line.Stations[i] is { FailureClock: FailureClock.Calendar, TimeToFailure: not null })
            {
                _sim.Process(Aging(i, process));
            }
        }
        _sim.Process(WarmUp(warmup));
    }

    /// <summary>Runs a started line up to <paramref name="time"/> (a simulation time, not a duration).</summary>
    public void AdvanceTo(double time)
    {
        if (!_started)
        {
            throw new InvalidOperationException("Start the line before advancing it.");
        }
        _sim.Run(time);
    }

    /// <summary>Where the line stands now: what its machines and buffers would report.</summary>
    public LineSnapshot Snapshot() => new(
        _sim.Now,
        [.. _buffers.Select(b => b.Count)],
        [.. _clocks.Select(c => StateName(c.Current))],
        [.. _finished],
        [.. _lastCycle],
        _shipped,
        _crews?.Count ?? 0)
    {
        Temperatures = [.. _thermal.Select(t => t?.Temperature)],
    };

    private static string StateName(StationState state) => state switch
    {
        StationState.Starved => "starved",
        StationState.Working => "working",
        StationState.Down => "down",
        StationState.Blocked => "blocked",
        StationState.Setup => "setup",
        StationState.Maintenance => "maintenance",
        StationState.Cooling => "cooling",
        _ => "offShift",
    };

    private IEnumerable<Event> WarmUp(double warmup)
    {
        yield return _sim.Timeout(warmup);
        _wip.Reset();
        Array.ForEach(_clocks, c => c.StartMeasuring());
    }

    /// <summary>
    /// Works for <paramref name="duration"/> of working time at a station with a thermal limit: when its temperature
    /// reaches the limit it stops, cools down to the restart temperature, and goes on with the part.
    /// </summary>
    private IEnumerable<Event> WorkFor(int index, StationThermal thermal, double duration)
    {
        var clock = _clocks[index];
        var left = duration;
        while (true)
        {
            var started = _sim.Now;
            // One trip event per heating spell, kept across parts until the limit is reached.
            thermal.Trip ??= thermal.Temperatures.Crossed(StationThermal.TripCrossing);
            yield return _sim.AnyOf(_sim.Timeout(left), thermal.Trip);
            if (!thermal.Trip.IsProcessed)
            {
                yield break;
            }
            thermal.Trip = null;
            thermal.Trips++;
            left -= _sim.Now - started;
            clock.Enter(StationState.Cooling);
            yield return thermal.Temperatures.Crossed(StationThermal.ResumeCrossing);
            clock.Enter(StationState.Working);
            if (!(left > 0))
            {
                yield break;
            }
        }
    }

    /// <summary>
    /// Calendar-time failures of one station: when its time comes, a working machine is interrupted (its own process
    /// repairs it); an idle one is repaired here, and the station waits for that repair before it works again.
    /// </summary>
    private IEnumerable<Event> Aging(int index, Process station)
    {
        var definition = _line.Stations[index];
        var clock = _clocks[index];
        while (true)
        {
            yield return _sim.Timeout(definition.TimeToFailure!.Sample(_sim.Random));
            var repaired = _sim.Event();
            _broken[index] = repaired;
            if (clock.Current == StationState.Working)
            {
                station.Interrupt("failure");
                yield return repaired;
                continue;
            }
            var idle = clock.Current;
            clock.Enter(StationState.Down);
            foreach (var e in Crewed(definition.TimeToRepair!.Sample(_sim.Random)))
            {
                yield return e;
            }
            _failures[index]++;
            _broken[index] = null;
            if (clock.Current == StationState.Down)
            {
                clock.Enter(idle);
            }
            repaired.Succeed();
        }
    }

    /// <summary>The station's own repair of a calendar-time failure that struck while it worked; the aging process waits for it.</summary>
    private IEnumerable<Event> RepairNow(int index, StationClock clock)
    {
        clock.Enter(StationState.Down);
        foreach (var e in Crewed(_line.Stations[index].TimeToRepair!.Sample(_sim.Random)))
        {
            yield return e;
        }
        _failures[index]++;
        var repaired = _broken[index];
        _broken[index] = null;
        repaired?.Succeed();
        clock.Enter(StationState.Working);
    }

    /// <summary>Waits while an idle-time failure of this station is being repaired.</summary>
    private IEnumerable<Event> WhileBroken(int index)
    {
        if (_broken[index] is { } repaired)
        {
            _clocks[index].Enter(StationState.Down);
            yield return repaired;
        }
    }

    /// <summary>Waits out the time between shifts, when there is any now, then goes back to <paramref name="resume"/>.</summary>
    private IEnumerable<Event> OffShift(StationClock clock, StationState resume)
    {
        if (_line.Shifts is not { } shifts || shifts.At(_sim.Now) is not (false, var until))
        {
            yield break;
        }
        clock.Enter(StationState.OffShift);
        yield return _sim.Timeout(until);
        clock.Enter(resume);
    }

    /// <summary>A repair or maintenance of the given length, with a crew when the line shares crews.</summary>
    private IEnumerable<Event> Crewed(double duration)
    {
        if (_crews is null)
        {
            yield return _sim.Timeout(duration);
            yield break;
        }
        using var crew = _crews.Request();
        yield return crew;
        yield return _sim.Timeout(duration);
    }

    private LineResult Result(double duration)
    {
        var stations = new List<StationResult>();
        for (var i = 0; i < _line.Stations.Count; i++)
        {
            var definition = _line.Stations[i];
            var clock = _clocks[i];
            clock.Enter(clock.Current); // close the open interval at the end of the run
            // Shares are of planned time: the time off shift is not planned.
            var planned = Math.Max(duration - clock.Time(StationState.OffShift), double.Epsilon);
            double Share(StationState s) => clock.Time(s) / planned;
            var availability = 1 - Share(StationState.Down) - Share(StationState.Setup) - Share(StationState.Maintenance) - Share(StationState.Cooling);
            var ideal = definition.IdealCycleTime ?? definition.CycleTime.Mean;
            var performance = availability > 0 ? ideal * _processed[i] / (planned * availability) : 0;
            var quality = _processed[i] > 0 ? (double)_good[i] / _processed[i] : 1;
            stations.Add(new StationResult(definition.Name, Share(StationState.Working), Share(StationState.Down), Share(StationState.Starved), Share(StationState.Blocked),
                _processed[i], _good[i], availability, performance, quality, clock.MeanActivePeriod)
            {
                Setup = Share(StationState.Setup),
                Maintenance = Share(StationState.Maintenance),
                Failures = _failures[i],
                Cooling = Share(StationState.Cooling),
                Trips = _thermal[i]?.Trips ?? 0,
            });
        }
        return new LineResult(duration, _completed, _completed / duration, _wip.Mean, _leadTime.Mean, stations);
    }

    private sealed record Part(double Started);

    private enum StationState
    {
        Starved,
        Working,
        Down,
        Blocked,
        Setup,
        Maintenance,
        OffShift,
        Cooling,
    }

    /// <summary>
    /// A station's temperature (see <see cref="ThermalLimit"/>): heating while the station works, cooling otherwise,
    /// with two terminal crossings, the limit while rising and the restart temperature while falling.
    /// </summary>
    private sealed class StationThermal
    {
        public const int TripCrossing = 0, ResumeCrossing = 1;
        private bool _heating;

        public StationThermal(Doppel.Simulation.Simulation sim, ThermalLimit limit)
        {
            var problem = new OdeProblem((t, y, dy) => dy[0] = (limit.Ambient + (_heating ? limit.Rise : 0) - y[0]) / limit.TimeConstant, sim.Now, [limit.Ambient])
            {
                Events =
                [
                    new ZeroCrossing((t, y) => y[0] - limit.TripAt, EventDirection.Rising, Terminal: true),
                    new ZeroCrossing((t, y) => y[0] - limit.ResumeAt, EventDirection.Falling, Terminal: true),
                ],
            };
            var solver = new DormandPrince54Solver(problem, new OdeOptions { RelativeTolerance = 1e-10, AbsoluteTolerance = 1e-10 });
            Temperatures = new ContinuousState(sim, solver, lookahead: limit.TimeConstant);
        }

        public ContinuousState Temperatures { get; }

        public double Temperature => Temperatures.Current[0];

        /// <summary>The pending trip the working station waits for, if any.</summary>
        public Event? Trip { get; set; }

        public long Trips { get; set; }

        /// <summary>Switches the heat on or off now; the temperature integrates on from where it is.</summary>
        public void Heat(bool on)
        {
            if (on == _heating)
            {
                return;
            }
            var now = Temperatures.Current[0];
            _heating = on;
            Temperatures.Set(0, now);
        }
    }

    /// <summary>Time per state after the warm-up, and the active periods (working or down, uninterrupted by starving or blocking).</summary>
    private sealed class StationClock(Doppel.Simulation.Simulation sim, ShiftCalendar? shifts, StationThermal? thermal)
    {
        private readonly double[] _time = new double[Enum.GetValues<StationState>().Length];
        private readonly SampleMonitor _activePeriods = new();
        private double _since = sim.Now;
        private double _measureFrom = double.PositiveInfinity;
        private double _activeSince = sim.Now;

        public StationState Current { get; private set; } = StationState.Starved;

        public double MeanActivePeriod => _activePeriods.Count > 0 ? _activePeriods.Mean : 0;

        public double Time(StationState state) => _time[(int)state];

        public void StartMeasuring()
        {
            Enter(Current);
            _measureFrom = sim.Now;
            _since = sim.Now;
        }

        public void Enter(StationState next)
        {
            var now = sim.Now;
            var from = Math.Max(_since, _measureFrom);
            if (now > from)
            {
                // Waiting (starved, blocked) across the end of a shift is time off shift, not lost time.
                var within = shifts is not null && Current is StationState.Starved or StationState.Blocked ? shifts.WorkingTimeBetween(from, now) : now - from;
                _time[(int)Current] += within;
                _time[(int)StationState.OffShift] += now - from - within;
            }
            var wasActive = Current is not (StationState.Starved or StationState.Blocked or StationState.OffShift);
            var isActive = next is not (StationState.Starved or StationState.Blocked or StationState.OffShift);
            if (wasActive && !isActive && now >= _measureFrom && now > _activeSince)
            {
                _activePeriods.Add(now - _activeSince);
            }
            if (!wasActive && isActive)
            {
                _activeSince = now;
            }
            _since = now;
            Current = next;
            // Only working heats the machine.
            thermal?.Heat(next == StationState.Working);
        }
    }
}
