# SimPy 2 (Debian's python3-simpy) version of Doppel.Simulation.Samples.MachineShop, for `doppel bench des`: 10 machines
# make parts of N(10, 2) minutes and break down every 300 minutes on average (exponential); one repairman fixes them in
# 30 minutes, preempting his other jobs (30 minutes each), which resume where they stopped. SimPy 2's priorities are
# the other way round from SimPy 3's: the larger number wins.
import random, sys, time
from SimPy.Simulation import PriorityQ, Process, Resource, activate, hold, initialize, now, release, request, simulate

class Machine(Process):
    def __init__(self, rng):
        Process.__init__(self)
        self.rng = rng
        self.parts = 0
        self.broken = False

    def working(self, repairman, stats):
        while True:
            remaining = self.rng.normalvariate(10.0, 2.0)
            while remaining <= 0:
                remaining = self.rng.normalvariate(10.0, 2.0)
            while remaining > 0:
                yield hold, self, remaining
                if not self.interrupted():
                    remaining = 0
                    continue
                # Broken: the part waits while the repairman fixes the machine.
                remaining = self.interruptLeft
                self.interruptReset()
                yield request, self, repairman, 2
                yield hold, self, 30.0
                yield release, self, repairman
                stats[0] += 1
                self.broken = False
            self.parts += 1

class Breaker(Process):
    def breaks(self, machine, rng):
        while True:
            yield hold, self, rng.expovariate(1.0 / 300.0)
            if not machine.broken:
                machine.broken = True
                self.interrupt(machine)

class OtherJobs(Process):
    def work(self, repairman, stats):
        while True:
            # Preempted, SimPy 2 suspends the job and resumes its remaining time when the repairman comes back.
            yield request, self, repairman, 1
            yield hold, self, 30.0
            yield release, self, repairman
            stats[1] += 1

duration = float(sys.argv[1])
rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
initialize()
repairman = Resource(capacity=1, qType=PriorityQ, preemptable=True)
stats = [0, 0]
machines = []
for _ in range(10):
    m = Machine(rng)
    activate(m, m.working(repairman, stats))
    b = Breaker()
    activate(b, b.breaks(m, rng))
    machines.append(m)
o = OtherJobs()
activate(o, o.work(repairman, stats))
start = time.perf_counter()
simulate(until=duration)
# Prints: parts made, repairs, other jobs done, seconds (simulation only, excluding Python's start).
print(f"{sum(m.parts for m in machines)} {stats[0]} {stats[1]} {time.perf_counter() - start:.3f}")
