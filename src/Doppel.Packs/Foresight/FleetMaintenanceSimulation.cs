using Doppel.Simulation;

namespace Doppel.Packs.Foresight;

/// <summary>
/// A fleet flying through the horizon under a maintenance plan, on the simulation kernel. Each engine flies until its
/// remaining life (drawn from its <see cref="RulDistribution"/>) runs out, unless the crew services it first. At the
/// start of each period the crew, which does <see cref="FleetMaintenanceProblem.Capacity"/> jobs a period, first
/// repairs the engines that failed (in the order they failed), then services the engines planned for the period and
/// those it had to postpone; an engine it cannot reach keeps flying and may fail meanwhile. A serviced or repaired
/// engine is as new, and its next failure lies beyond the horizon. An engine not serviced whose life outlasts the
/// horizon costs nothing here: the next plan, on the next predictions, deals with it.
/// </summary>
/// <remarks>
/// Every replication draws all the engines' lives first, in fleet order, so that two plans run on the same seed meet
/// the same lives (common random numbers): a difference in cost is the plans', not luck's.
/// </remarks>
public sealed class FleetMaintenanceSimulation
{
    private readonly FleetMaintenanceProblem _problem;
    private readonly RulDistribution[] _distributions;

    public FleetMaintenanceSimulation(FleetMaintenanceProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        if (problem.Validate() is { Count: > 0 } errors)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(problem));
        }
        _problem = problem;
        _distributions = [.. problem.Engines.Select(e => new RulDistribution(e, problem.Coverage))];
    }

    public FleetMaintenanceProblem Problem => _problem;

    /// <summary>The engines' life distributions, in fleet order.</summary>
    public IReadOnlyList<RulDistribution> Distributions => _distributions;

    /// <summary>Simulates the horizon once under <paramref name="plan"/> (a period per engine, or not serviced) with the seed's lives.</summary>
    public MaintenanceOutcome Run(IReadOnlyList<int> plan, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.Count != _distributions.Length || plan.Any(p => p < 0 || p > _problem.Periods))
        {
            throw new ArgumentException($"A plan gives each of the {_distributions.Length} engines a period from 0 to {_problem.Periods} ({_problem.Periods}: not serviced).", nameof(plan));
        }
        return new Replication(_problem, _distributions, plan, seed).Run();
    }

    /// <summary>One horizon: the engines' processes, the crew's, and what they cost.</summary>
    private sealed class Replication
    {
        private readonly FleetMaintenanceProblem _problem;
        private readonly IReadOnlyList<int> _plan;
        private readonly Simulation.Simulation _sim;
        private readonly double[] _life;
        private readonly EngineState[] _state;
        private readonly double[] _failedAt;
        private readonly Queue<int> _awaitingRepair = new();
        private int _failures;
        private int _services;
        private int _postponed;
        private double _unusedLife;
        private double _grounded;

        public Replication(FleetMaintenanceProblem problem, RulDistribution[] distributions, IReadOnlyList<int> plan, ulong seed)
        {
            _problem = problem;
            _plan = plan;
            _sim = new Simulation.Simulation(seed);
            _life = new double[distributions.Length];
            for (var i = 0; i < _life.Length; i++)
            {
                _life[i] = distributions[i].Sample(_sim.Random);
            }
            _state = new EngineState[_life.Length];
            _failedAt = new double[_life.Length];
        }

        public MaintenanceOutcome Run()
        {
            for (var i = 0; i < _life.Length; i++)
            {
                if (_life[i] < _problem.Horizon)
                {
                    _sim.Process(Fly(i));
                }
            }
            _sim.Process(Crew());
            _sim.Run(_problem.Horizon);
            // Engines still waiting for the crew when the horizon ends have been on the ground since they failed.
            foreach (var engine in _awaitingRepair)
            {
                _grounded += _problem.Horizon - _failedAt[engine];
            }
            var costs = _problem.Costs;
            var cost = (_failures * costs.Failure) + (_services * costs.Service) + (_grounded * costs.Grounded) + (_unusedLife * costs.UnusedLife);
            return new MaintenanceOutcome(cost, _failures, _services, _unusedLife, _grounded, _postponed);
        }

        /// <summary>An engine flies until its life runs out; if the crew has not taken it by then, it fails and waits for a repair.</summary>
        private IEnumerable<Event> Fly(int engine)
        {
            yield return _sim.Timeout(_life[engine]);
            if (_state[engine] == EngineState.Flying)
            {
                _state[engine] = EngineState.Failed;
                _failures++;
                _failedAt[engine] = _sim.Now;
                _awaitingRepair.Enqueue(engine);
            }
        }

        /// <summary>The crew, period after period: repairs first, then the planned services it has room for, the rest postponed.</summary>
        private IEnumerable<Event> Crew()
        {
            var due = new List<int>();
            for (var period = 0; period < _problem.Periods; period++)
            {
                var room = _problem.Capacity;
                while (room > 0 && _awaitingRepair.Count > 0)
                {
                    var engine = _awaitingRepair.Dequeue();
                    _grounded += _sim.Now - _failedAt[engine];
                    _state[engine] = EngineState.Done;
                    room--;
                }
                for (var engine = 0; engine < _plan.Count; engine++)
                {
                    if (_plan[engine] == period)
                    {
                        due.Add(engine);
                    }
                }
                // Postponed services come first: they were due earlier. An engine that failed meanwhile is the repairs' now.
                due.RemoveAll(engine => _state[engine] != EngineState.Flying);
                var serviced = 0;
                for (; serviced < due.Count && room > 0; serviced++, room--)
                {
                    var engine = due[serviced];
                    _state[engine] = EngineState.Done;
                    _services++;
                    _unusedLife += _life[engine] - _sim.Now;
                }
                due.RemoveRange(0, serviced);
                _postponed += due.Count;
                yield return _sim.Timeout(_problem.PeriodLength);
            }
        }
    }

    private enum EngineState
    {
        Flying,
        Failed,
        Done,
    }
}
