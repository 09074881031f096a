# PEP 442: objects with __del__ in cycles are finalized by gc.collect() (once) and freed.
import gc

gc.disable()
gc.collect()
events = []


class Fin:
    def __init__(self, name):
        self.name = name
        self.ref = None

    def __del__(self):
        events.append(self.name)


a = Fin("a")
a.ref = a
del a
print("before collect:", events)
print("collected:", gc.collect())
print("finalized:", events)
events.clear()
x, y = Fin("x"), Fin("y")
x.ref, y.ref = y, x
del x, y
print("two-cycle collected:", gc.collect(), sorted(events))
events.clear()
nodes = [Fin(f"n{i}") for i in range(5)]
for i, node in enumerate(nodes):
    node.ref = nodes[(i + 1) % 5]
del nodes, node
print("five-cycle collected:", gc.collect(), sorted(events))
events.clear()
p = Fin("p")
p.ref = [p]
del p
print("cycle through a list:", gc.collect(), events)
events.clear()


class Plain:
    pass


m = Fin("mixed")
m.ref = Plain()
m.ref.back = m
del m
print("finalizer object with plain partner:", gc.collect(), events)
events.clear()
print("nothing left:", gc.collect(), events)


class Breaker(Fin):
    def __del__(self):
        events.append("break " + self.name)
        self.ref = None


b1, b2 = Breaker("b1"), Fin("b2")
b1.ref, b2.ref = b2, b1
del b1, b2
print("finalizer breaks the cycle:", gc.collect(), sorted(events))
events.clear()
print("second collect:", gc.collect(), events)
