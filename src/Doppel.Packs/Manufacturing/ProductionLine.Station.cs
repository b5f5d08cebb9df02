using Doppel.Simulation;

namespace Doppel.Packs.Manufacturing;

public sealed partial class ProductionLine
{
    /// <summary>What ends a stretch of work on a part.</summary>
    private enum Stop
    {
        /// <summary>The cycle is done.</summary>
        PartDone,

        /// <summary>The shift ends mid-part: the part waits on the machine for the next shift.</summary>
        ShiftEnds,

        /// <summary>The machine fails (its wear is counted in working time).</summary>
        Failure,

        /// <summary>Preventive maintenance is due.</summary>
        Maintenance,
    }

    /// <summary>What becomes of a part once a cycle on it is done.</summary>
    private enum CycleOutcome
    {
        Good,
        Scrapped,
        Rework,
    }

    /// <summary>
    /// One station's process: it waits out the time between shifts, takes a part (starved while the buffer before it is
    /// empty), sets up when a setup is due, works the part (again while it needs rework), stopping for the shift's end,
    /// failures and maintenance as its working time runs, and passes the part on (blocked while the next buffer is
    /// full) unless it was scrapped or leaves the line. The per-part path yields its events directly: a sub-iterator
    /// per part would be the loop's only allocation.
    /// </summary>
    private IEnumerable<Event> Station(int index)
    {
        var station = new StationWork(this, index);
        var clock = station.Clock;
        var thermal = station.Thermal;
        if (_initial is not null)
        {
            foreach (var e in ResumeReported(station))
            {
                yield return e;
            }
        }
        while (true)
        {
            if (_line.Shifts is not null)
            {
                foreach (var e in OffShift(clock, clock.Current))
                {
                    yield return e;
                }
            }
            var resumed = station.ResumesHeldPart;
            Part part;
            if (station.HasPartAtHand)
            {
                part = station.TakeHeldOrNewPart();
            }
            else
            {
                clock.Enter(StationState.Starved);
                var get = _buffers[index - 1].Get();
                yield return get;
                part = (Part)get.Value!;
            }
            if (!resumed && station.SetupDue(out var setup))
            {
                clock.Enter(StationState.Setup);
                yield return _sim.Timeout(setup);
            }
            CycleOutcome outcome;
            do
            {
                if (_broken[index] is not null)
                {
                    foreach (var e in WhileBroken(index))
                    {
                        yield return e;
                    }
                }
                clock.Enter(StationState.Working);
                var remaining = station.StartCycle();
                while (remaining > 0)
                {
                    var (stop, until) = station.NextStop(remaining);
                    var started = _sim.Now;
                    if (thermal is null)
                    {
                        yield return _sim.Timeout(until);
                    }
                    else
                    {
                        foreach (var e in WorkFor(index, thermal, until))
                        {
                            yield return e;
                        }
                    }
                    if (station.BrokenByAge())
                    {
                        // Broken mid-part by age (a calendar-time failure): repaired, then the part goes on.
                        remaining -= _sim.Now - started;
                        foreach (var e in RepairNow(index, clock))
                        {
                            yield return e;
                        }
                        continue;
                    }
                    switch (stop)
                    {
                        case Stop.PartDone:
                            station.Worked(remaining);
                            remaining = 0;
                            continue;
                        case Stop.ShiftEnds:
                            remaining -= until;
                            station.Worked(until);
                            foreach (var e in OffShift(clock, StationState.Working))
                            {
                                yield return e;
                            }
                            continue;
                        case Stop.Failure:
                            remaining -= until;
                            _failures[index]++;
                            clock.Enter(StationState.Down);
                            foreach (var e in Crewed(station.Definition.TimeToRepair!.Sample(_sim.Random)))
                            {
                                yield return e;
                            }
                            break;
                        default:
                            remaining -= until;
                            clock.Enter(StationState.Maintenance);
                            foreach (var e in Crewed(station.Definition.MaintenanceTime!.Sample(_sim.Random)))
                            {
                                yield return e;
                            }
                            break;
                    }
                    // A repair or a maintenance renews the machine.
                    station.Renew();
                    clock.Enter(StationState.Working);
                }
                outcome = FinishCycle(station);
            }
            while (outcome == CycleOutcome.Rework);
            if (!LeavesLine(station, part, outcome == CycleOutcome.Scrapped))
            {
                clock.Enter(StationState.Blocked);
                yield return _buffers[index].Put(part);
            }
        }
    }

    /// <summary>
    /// Where the station stood when the scenario started: down, it is repaired first (memoryless for exponential
    /// repairs; a fresh repair otherwise); blocked, it holds a finished part for the next buffer; working (or down,
    /// cooling, in setup or maintenance), it holds a part it works afresh, without its setup unless it was in setup.
    /// </summary>
    private IEnumerable<Event> ResumeReported(StationWork station)
    {
        var index = station.Index;
        if (_initial!.StationsDown[index])
        {
            station.Clock.Enter(StationState.Down);
            yield return _sim.Timeout(station.Definition.TimeToRepair?.Sample(_sim.Random) ?? 0);
        }
        station.Reported = _initial.HoldsPart(index) ? _initial.StationStates![index] : null;
        if (station.Reported == "blocked" && !station.IsLast)
        {
            _wip.Increment();
            station.Clock.Enter(StationState.Blocked);
            yield return _buffers[index].Put(new Part(_sim.Now));
        }
        station.Carried = station.Reported is not (null or "blocked");
    }

    /// <summary>A cycle is done: counted, and the part is good, scrap, or to be worked again.</summary>
    private CycleOutcome FinishCycle(StationWork station)
    {
        var index = station.Index;
        _finished[index]++;
        if (_sim.Now >= _warmup)
        {
            _processed[index]++;
        }
        var definition = station.Definition;
        var draw = definition.ScrapRate + definition.ReworkRate > 0 ? _sim.Random.NextDouble() : 1;
        return draw < definition.ScrapRate ? CycleOutcome.Scrapped
            : draw < definition.ScrapRate + definition.ReworkRate ? CycleOutcome.Rework
            : CycleOutcome.Good;
    }

    /// <summary>Whether the part leaves the line here, scrapped or shipped by the last station (counted); otherwise it goes to the next buffer.</summary>
    private bool LeavesLine(StationWork station, Part part, bool scrapped)
    {
        if (scrapped)
        {
            _wip.Decrement();
            return true;
        }
        var measured = _sim.Now >= _warmup;
        if (measured)
        {
            _good[station.Index]++;
        }
        if (!station.IsLast)
        {
            return false;
        }
        _shipped++;
        _wip.Decrement();
        if (measured)
        {
            _completed++;
            _leadTime.Add(_sim.Now - part.Started);
        }
        return true;
    }

    /// <summary>
    /// A station's own state across its parts: its wear (working time until the next failure, since the last
    /// maintenance), its setups, and the part it held when the scenario started.
    /// </summary>
    private sealed class StationWork
    {
        private readonly ProductionLine _line;
        // What every part reads, held here rather than reached through the line each time.
        private readonly Doppel.Simulation.Simulation _sim;
        private readonly SimRandom _random;
        private readonly ShiftCalendar? _shifts;
        private readonly double[] _lastCycle;
        private double _untilFailure;
        private double _sinceMaintenance;
        private int _partsSinceSetup;

        public StationWork(ProductionLine line, int index)
        {
            _line = line;
            _sim = line._sim;
            _random = line._sim.Random;
            _shifts = line._line.Shifts;
            _lastCycle = line._lastCycle;
            Index = index;
            Definition = line._line.Stations[index];
            Clock = line._clocks[index];
            Thermal = line._thermal[index];
            IsLast = index == line._line.Stations.Count - 1;
            // With calendar-time failures a separate process breaks the machine (interrupting it when it works); here they never come due.
            Calendar = Definition.FailureClock == FailureClock.Calendar && Definition.TimeToFailure is not null;
            _untilFailure = Calendar ? double.PositiveInfinity : Definition.TimeToFailure?.Sample(_random) ?? double.PositiveInfinity;
        }

        public int Index { get; }

        public StationDefinition Definition { get; }

        public StationClock Clock { get; }

        public StationThermal? Thermal { get; }

        public bool IsLast { get; }

        public bool Calendar { get; }

        /// <summary>The state the station reported when the scenario started, when it held a part then.</summary>
        public string? Reported { get; set; }

        /// <summary>Whether it still holds the part it held when the scenario started.</summary>
        public bool Carried { get; set; }

        /// <summary>The held part is worked on afresh without a setup (unless the station was in setup).</summary>
        public bool ResumesHeldPart => Carried && Reported != "setup";

        /// <summary>The first station is never starved; a station holding a part works it first.</summary>
        public bool HasPartAtHand => Index == 0 || Carried;

        /// <summary>The part at hand: a new one enters the line (or the held one, with its own start).</summary>
        public Part TakeHeldOrNewPart()
        {
            var part = new Part(_sim.Now);
            _line._wip.Increment();
            Carried = false;
            return part;
        }

        /// <summary>Whether this part needs a setup first (every <see cref="StationDefinition.SetupEvery"/> parts), and how long it takes.</summary>
        public bool SetupDue(out double duration)
        {
            duration = 0;
            if (Definition.SetupTime is not { } setup || _partsSinceSetup++ % Definition.SetupEvery != 0)
            {
                return false;
            }
            duration = setup.Sample(_random);
            return true;
        }

        /// <summary>A new cycle's working time, reported as the station's latest cycle time.</summary>
        public double StartCycle()
        {
            var cycle = Definition.CycleTime.Sample(_random);
            _lastCycle[Index] = cycle;
            return cycle;
        }

        /// <summary>
        /// What ends the next stretch of work, and after how much working time: the part's <paramref name="remaining"/>
        /// work, unless the shift ends, the machine fails or maintenance falls due first.
        /// </summary>
        public (Stop Stop, double Until) NextStop(double remaining)
        {
            var untilMaintenance = Definition.MaintenanceInterval is { } interval ? interval - _sinceMaintenance : double.PositiveInfinity;
            var untilShiftEnds = _shifts?.At(_sim.Now).Until ?? double.PositiveInfinity;
            if (untilShiftEnds < remaining && untilShiftEnds < _untilFailure && untilShiftEnds < untilMaintenance)
            {
                return (Stop.ShiftEnds, untilShiftEnds);
            }
            if (_untilFailure <= remaining && _untilFailure <= untilMaintenance)
            {
                return (Stop.Failure, _untilFailure);
            }
            return untilMaintenance <= remaining ? (Stop.Maintenance, untilMaintenance) : (Stop.PartDone, remaining);
        }

        /// <summary>Working time wears the machine: failures and maintenance come closer (a starved or blocked machine does not wear).</summary>
        public void Worked(double time)
        {
            _untilFailure -= time;
            _sinceMaintenance += time;
        }

        /// <summary>A repair or a maintenance renews the machine.</summary>
        public void Renew()
        {
            _untilFailure = Definition.TimeToFailure?.Sample(_random) ?? double.PositiveInfinity;
            _sinceMaintenance = 0;
        }

        /// <summary>Whether a calendar-time failure interrupted the work just done.</summary>
        public bool BrokenByAge() => Calendar && _sim.ActiveProcess!.TryTakeInterrupt(out _);
    }
}
