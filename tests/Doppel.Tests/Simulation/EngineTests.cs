using Doppel.Simulation;
using Doppel.Simulation.Samples;

namespace Doppel.Tests.Simulation;

/// <summary>The engine's semantics: ordering, resources with priority and preemption, interrupts, stores, containers, conditions.</summary>
public sealed class EngineTests
{
    private readonly Doppel.Simulation.Simulation _sim = new(seed: 1);
    private readonly List<string> _log = [];

    private void Log(string what) => _log.Add($"{_sim.Now:0.##} {what}");

    [Fact]
    public void Simultaneous_events_happen_in_the_order_they_were_scheduled()
    {
        IEnumerable<Event> Tick(string name)
        {
            yield return _sim.Timeout(1);
            Log(name);
        }
        foreach (var name in new[] { "c", "a", "b" })
        {
            _sim.Process(Tick(name));
        }

        _sim.Run();

        Assert.Equal(["1 c", "1 a", "1 b"], _log);
    }

    [Fact]
    public void A_resource_serves_by_priority_then_arrival_and_a_preemptive_request_interrupts_the_lowest_user()
    {
        var crew = new Resource(_sim, capacity: 1);
        IEnumerable<Event> Job(string name, double arrive, int priority, bool preempt, double work)
        {
            yield return _sim.Timeout(arrive);
            using var request = crew.Request(priority, preempt);
            yield return request;
            Log($"{name} starts");
            yield return _sim.Timeout(work);
            if (_sim.ActiveProcess!.TryTakeInterrupt(out var cause))
            {
                var preempted = (Preempted)cause!;
                Log($"{name} preempted (held since {preempted.UsageSince})");
                yield break;
            }
            Log($"{name} done");
        }
        _sim.Process(Job("low", 0, priority: 5, preempt: false, work: 10));
        _sim.Process(Job("later-2", 1, priority: 2, preempt: false, work: 1));
        _sim.Process(Job("first-2", 0.5, priority: 2, preempt: false, work: 1));
        _sim.Process(Job("urgent", 2, priority: 0, preempt: true, work: 3));

        _sim.Run();

        // The interrupt is urgent, so the preempted user hears of it before the newcomer resumes (as in SimPy).
        Assert.Equal(["0 low starts", "2 low preempted (held since 0)", "2 urgent starts", "5 urgent done", "5 first-2 starts", "6 first-2 done", "6 later-2 starts", "7 later-2 done"], _log);
        Assert.Equal(0, crew.Count);
    }

    [Fact]
    public void An_interrupt_the_process_does_not_take_fails_the_run_with_the_cause()
    {
        IEnumerable<Event> Sleeper()
        {
            yield return _sim.Timeout(10);
            yield return _sim.Timeout(10);
        }
        var sleeper = _sim.Process(Sleeper());
        IEnumerable<Event> Waker()
        {
            yield return _sim.Timeout(1);
            sleeper.Interrupt("wake up");
        }
        _sim.Process(Waker());

        var failure = Assert.Throws<SimulationException>(_sim.Run);

        Assert.Equal("wake up", Assert.IsType<InterruptedException>(failure.InnerException).Cause);
        Assert.Equal(1, _sim.Now);
    }

    [Fact]
    public void A_full_store_holds_producers_and_an_empty_one_holds_consumers()
    {
        var buffer = new Store<int>(_sim, capacity: 2);
        IEnumerable<Event> Producer()
        {
            for (var i = 1; i <= 4; i++)
            {
                yield return buffer.Put(i);
                Log($"put {i}");
            }
        }
        IEnumerable<Event> Consumer()
        {
            yield return _sim.Timeout(5);
            for (var i = 0; i < 4; i++)
            {
                var get = buffer.Get();
                yield return get;
                Log($"got {get.Value}");
                yield return _sim.Timeout(1);
            }
        }
        _sim.Process(Producer());
        _sim.Process(Consumer());

        _sim.Run();

        Assert.Equal(["0 put 1", "0 put 2", "5 got 1", "5 put 3", "6 got 2", "6 put 4", "7 got 3", "8 got 4"], _log);
    }

    [Fact]
    public void Store_events_are_reused_only_once_nobody_can_see_them()
    {
        var buffer = new Store<string>(_sim);
        Event? kept = null;
        IEnumerable<Event> Consumer()
        {
            // Yielded directly: recycled after each resume, so the next get may be the same object, with its own item.
            for (var i = 0; i < 3; i++)
            {
                var get = buffer.Get();
                yield return get;
                Log($"got {get.Value}");
            }
            // Waited for through a condition: not recycled, so it still holds its item afterwards.
            kept = buffer.Get();
            yield return _sim.AnyOf(kept, _sim.Timeout(100));
            yield return _sim.Timeout(1);
            Log($"kept {kept.Value}");
        }
        IEnumerable<Event> Producer()
        {
            foreach (var item in new[] { "a", "b", "c", "d" })
            {
                yield return _sim.Timeout(1);
                yield return buffer.Put(item);
            }
        }
        _sim.Process(Consumer());
        _sim.Process(Producer());

        _sim.Run();

        Assert.Equal(["1 got a", "2 got b", "3 got c", "5 kept d"], _log);
        Assert.True(kept!.IsProcessed);
    }

    [Fact]
    public void A_container_get_waits_until_enough_has_been_put()
    {
        var tank = new Container(_sim, capacity: 100, initial: 10);
        IEnumerable<Event> Drain()
        {
            yield return tank.Get(25);
            Log($"drained, level {tank.Level}");
        }
        IEnumerable<Event> Fill()
        {
            for (var i = 0; i < 3; i++)
            {
                yield return _sim.Timeout(1);
                yield return tank.Put(10);
            }
        }
        _sim.Process(Drain());
        _sim.Process(Fill());

        _sim.Run();

        Assert.Equal(["2 drained, level 5"], _log);
        Assert.Equal(15, tank.Level);
    }

    [Fact]
    public void Any_and_all_conditions_and_waiting_for_another_process()
    {
        IEnumerable<Event> Worker(double time)
        {
            yield return _sim.Timeout(time);
        }
        IEnumerable<Event> Boss()
        {
            var fast = _sim.Process(Worker(2));
            var slow = _sim.Process(Worker(5));
            yield return _sim.AnyOf(fast, slow);
            Log("first done");
            yield return _sim.AllOf(fast, slow);
            Log("all done");
            yield return fast; // already processed: carries on at once
            Log("still " + _sim.Now);
        }
        _sim.Process(Boss());

        _sim.Run();

        Assert.Equal(["2 first done", "5 all done", "5 still 5"], _log);
    }

    [Fact]
    public void The_machine_shop_runs_with_breakdowns_preemptive_repairs_and_is_deterministic()
    {
        static (long[] Parts, long Repairs, long OtherJobs, long Events) Run(ulong seed)
        {
            var sim = new Doppel.Simulation.Simulation(seed);
            var shop = new MachineShop(sim).Run();
            return ([.. shop.PartsMade], shop.Repairs, shop.OtherJobsDone, sim.ProcessedEvents);
        }

        var first = Run(42);
        var again = Run(42);

        Assert.Equal(first.Parts, again.Parts);
        Assert.Equal(first.Events, again.Events);
        // 4 weeks = 40,320 minutes; a machine fails every 300 working minutes and waits at least 30 for repair, so it
        // works about 300/330 of the time (less while the repairman is busy): at most ~3,665 parts of 10 minutes each.
        Assert.All(first.Parts, parts => Assert.InRange(parts, 3000, 3700));
        Assert.InRange(first.Repairs, 1000, 1400);
        Assert.True(first.OtherJobs > 0);
    }
}
