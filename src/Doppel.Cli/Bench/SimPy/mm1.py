# SimPy 2 (Debian's python3-simpy) version of Doppel.Simulation.Samples.QueueModel as M/M/1 (λ = 0.9, μ = 1), for `doppel bench des`.
import random, sys, time
from SimPy.Simulation import Process, Resource, activate, hold, initialize, now, release, request, simulate

class Customer(Process):
    def visit(self, server, rng):
        yield request, self, server
        yield hold, self, rng.expovariate(1.0)
        yield release, self, server

class Source(Process):
    def generate(self, n, server, rng):
        for _ in range(n):
            c = Customer()
            activate(c, c.visit(server, rng))
            yield hold, self, rng.expovariate(0.9)

n = int(sys.argv[1])
rng = random.Random(1)
initialize()
server = Resource(capacity=1)
s = Source()
activate(s, s.generate(n, server, rng), at=0.0)
start = time.perf_counter()
simulate(until=1e18)
print(f"{n} {time.perf_counter() - start:.3f} {now():.1f}")
