# gc.get_stats(): three generations, keys, and deltas of collections/collected across collect calls.
import gc

gc.disable()
gc.collect()
stats = gc.get_stats()
print("generations:", len(stats), "keys:", sorted(stats[0]))


def snapshot():
    return [(s["collections"], s["collected"], s["uncollectable"]) for s in gc.get_stats()]


def delta(before, after):
    return [tuple(y - x for x, y in zip(b, a)) for b, a in zip(before, after)]


class Node:
    pass


def garbage(n):
    for _ in range(n):
        x = Node()
        x.me = x


before = snapshot()
garbage(3)
gc.collect()
print("full collection of 3:", delta(before, snapshot()))
before = snapshot()
garbage(2)
gc.collect(0)
print("young collection of 2:", delta(before, snapshot()))
before = snapshot()
gc.collect(1)
gc.collect(1)
print("two middle collections:", delta(before, snapshot()))
before = snapshot()
print("empty full collection returns:", gc.collect())
print("its delta:", delta(before, snapshot()))
before = snapshot()
lst = []
lst.append(lst)
del lst
garbage(4)
gc.collect(2)
print("five objects:", delta(before, snapshot()))
print("all counts non-negative:", all(v >= 0 for s in gc.get_stats() for v in s.values()))
