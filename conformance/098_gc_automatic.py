# Automatic collection: with gc enabled and a small threshold, cycles are freed without gc.collect().
import gc
import weakref

gc.collect()
gc.set_threshold(100, 10, 10)
runs = []
gc.callbacks.append(lambda phase, info: runs.append(info["generation"]) if phase == "stop" else None)


class Node:
    pass


refs = []
for _ in range(2000):
    n = Node()
    n.me = n
    refs.append(weakref.ref(n))
del n
dead = sum(r() is None for r in refs)
print("automatic collections ran:", len(runs) > 0, "young ones:", 0 in runs)
print("most cycles freed automatically:", dead > 1500)
gc.disable()
runs.clear()
refs = []
for _ in range(2000):
    n = Node()
    n.me = n
    refs.append(weakref.ref(n))
del n
print("disabled: no collections:", runs == [], "none freed:", all(r() is not None for r in refs))
print("explicit collect frees them all:", gc.collect() >= 2000, len(runs) > 0, all(r() is None for r in refs))
gc.enable()
gc.set_threshold(0)
runs.clear()
keep = [Node() for _ in range(1000)]
print("threshold 0 disables automatic collection:", runs == [])
gc.set_threshold(2000, 10, 10)
gc.callbacks.clear()
