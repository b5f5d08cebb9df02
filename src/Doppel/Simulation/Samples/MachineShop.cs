namespace Doppel.Simulation.Samples;

/// <summary>
/// The classic machine shop (SimPy's "Machine Shop" example): machines make parts and break down at random; one
/// repairman fixes them, preempting the less important other jobs he does meanwhile. A benchmark of interrupts and
/// preemption, and a check of their semantics.
/// </summary>
public sealed class MachineShop
{
    private readonly Simulation _sim;
    private readonly Resource _repairman;
    private readonly MachineShopOptions _options;
    private readonly long[] _parts;

    public MachineShop(Simulation sim, MachineShopOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(sim);
        _sim = sim;
        _options = options ?? new MachineShopOptions();
        _repairman = new Resource(sim, 1);
        _parts = new long[_options.Machines];
    }

    /// <summary>Parts made by each machine.</summary>
    public IReadOnlyList<long> PartsMade => _parts;

    /// <summary>Repairs done, and other jobs finished by the repairman.</summary>
    public long Repairs { get; private set; }

    public long OtherJobsDone { get; private set; }

    public MachineShop Run()
    {
        for (var i = 0; i < _options.Machines; i++)
        {
            var machine = new Machine(i);
            machine.Process = _sim.Process(Working(machine));
            _sim.Process(BreakDowns(machine));
        }
        _sim.Process(OtherJobs());
        _sim.Run(_options.Duration);
        return this;
    }

    private IEnumerable<Event> Working(Machine machine)
    {
        var process = machine.Process!;
        while (true)
        {
            var remaining = _sim.Random.PositiveNormal(_options.ProcessingMean, _options.ProcessingSigma);
            while (remaining > 0)
            {
                var start = _sim.Now;
                yield return _sim.Timeout(remaining);
                if (!process.TryTakeInterrupt(out _))
                {
                    remaining = 0;
                    continue;
                }
                // Broken: the part waits while the repairman (who drops his other job) fixes the machine.
                remaining -= _sim.Now - start;
                using (var repair = _repairman.Request(priority: 1, preempt: true))
                {
                    yield return repair;
                    yield return _sim.Timeout(_options.RepairTime);
                }
                Repairs++;
                machine.Broken = false;
            }
            _parts[machine.Index]++;
        }
    }

    private IEnumerable<Event> BreakDowns(Machine machine)
    {
        while (true)
        {
            yield return _sim.Timeout(_sim.Random.Exponential(_options.MeanTimeToFailure));
            if (!machine.Broken)
            {
                machine.Broken = true;
                machine.Process!.Interrupt("broken");
            }
        }
    }

    private IEnumerable<Event> OtherJobs()
    {
        var self = _sim.ActiveProcess!;
        while (true)
        {
            var remaining = _options.OtherJobDuration;
            while (remaining > 0)
            {
                using var request = _repairman.Request(priority: 2);
                yield return request;
                var start = _sim.Now;
                yield return _sim.Timeout(remaining);
                remaining = self.TryTakeInterrupt(out _) ? remaining - (_sim.Now - start) : 0;
            }
            OtherJobsDone++;
        }
    }

    private sealed class Machine(int index)
    {
        public int Index { get; } = index;

        public Process? Process { get; set; }

        public bool Broken { get; set; }
    }
}

/// <summary>SimPy's figures: 10 machines, parts of N(10, 2) minutes, failures every 300 minutes on average, 30-minute repairs, 4 weeks.</summary>
public sealed record MachineShopOptions
{
    public int Machines { get; init; } = 10;

    public double ProcessingMean { get; init; } = 10;

    public double ProcessingSigma { get; init; } = 2;

    public double MeanTimeToFailure { get; init; } = 300;

    public double RepairTime { get; init; } = 30;

    public double OtherJobDuration { get; init; } = 30;

    public double Duration { get; init; } = 4 * 7 * 24 * 60;
}
