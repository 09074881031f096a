# gc.callbacks: phases "start"/"stop", info keys, generation and collected counts; add and remove.
import gc
import sys

gc.disable()
gc.collect()
log = []


def cb(phase, info):
    log.append((phase, sorted(info), info["generation"], info["collected"], info["uncollectable"]))


gc.callbacks.append(cb)
print("registered:", cb in gc.callbacks)


class Node:
    pass


a = Node()
a.me = a
b = [[]]
b[0].append(b)
del a, b
n = gc.collect()
print("collect returned:", n)
for entry in log:
    print(entry)
log.clear()
gc.collect(0)
gc.collect(1)
print("generations:", [(p, g) for p, _, g, _, _ in log])
print("collected values:", [c for _, _, _, c, _ in log])
log.clear()
second = []
gc.callbacks.append(lambda phase, info: second.append(phase))
gc.collect()
print("two callbacks:", [p for p, *_ in log], second)
gc.callbacks.pop()
gc.callbacks.remove(cb)
log.clear()
gc.collect()
print("after removal:", log, len(second))


def faulty(phase, info):
    raise ValueError("callback error")


reports = []
sys.unraisablehook = lambda u: reports.append((type(u.exc_value).__name__, str(u.exc_value)))
gc.callbacks.append(faulty)
print("collect with faulty callback:", gc.collect())
gc.callbacks.remove(faulty)
sys.unraisablehook = sys.__unraisablehook__
print("reported:", reports)
print("callbacks list type:", type(gc.callbacks).__name__, len(gc.callbacks))
