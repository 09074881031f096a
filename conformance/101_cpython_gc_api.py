# The gc module API: collect counts, get_count, generations, stats, thresholds, callbacks, freeze (port of gc_api.py).
"""Scenarios for pymem's `gc` API, run on CPython; `record.sh` stores the output in
gc_api.out and tests/all/gc_api.rs builds the same scenarios in Rust and compares.

Object model: `Node` (one slot, no __dict__) is one GC object, as pymem's
`Gc<Node { next: RefCell<Option<Gc<Node>>> }>`; a Python list of nodes is
`Gc<RefCell<Vec<Gc<Node>>>>`. Automatic collection is off except where a scenario
measures it, so counts are exact.

Ported from crates/pymem/tests/cpython/gc_api.py. Conformance-suite adaptations: the size of
generation 2 (CPython's own objects, about 5,000) is not printed; instead a ballast of 20,000
long-lived nodes makes generation-2 collections impossible during the auto.* scenarios in any
implementation (CPython skips them while long_lived_pending < long_lived_total / 4), so the
automatic-collection counts do not depend on how many objects the interpreter itself keeps.
The DEBUG_STATS lines, which hold timings and CPython's object counts, are captured from
sys.stderr and printed with those numbers left out.
"""
import gc
import sys


class Node:
    __slots__ = ("next", "__weakref__")

    def __init__(self):
        self.next = None


def out(key, value):
    print(f"{key}: {value}")


def ring(n):
    nodes = [Node() for _ in range(n)]
    for i, node in enumerate(nodes):
        node.next = nodes[(i + 1) % n]
    return nodes[0]


def in_gen(obj, g):
    return any(o is obj for o in gc.get_objects(g))


# A fresh interpreter: automatic collection on, no debug flags.
out("enable.initial", gc.isenabled())
out("debug.initial", gc.get_debug())

gc.disable()
gc.collect()

# collect() returns the number of unreachable objects.
a = ring(1); del a
out("collect.self_cycle", gc.collect())
a = ring(2); del a
out("collect.two_cycle", gc.collect())
a = ring(10); del a
out("collect.ring10", gc.collect())
out("collect.again", gc.collect())
complete = [Node() for _ in range(5)]
lists = [list(complete) for _ in complete]   # K5 through lists: 5 nodes + 5 lists
for node, l in zip(complete, lists):
    node.next = l
del complete, lists, node, l
out("collect.k5_nodes_and_lists", gc.collect())
a = ring(3)
out("collect.ring3_held", gc.collect())
del a
out("collect.ring3_released", gc.collect())

# get_count: exact after collect(g); tracked allocations and deallocations move count0.
gc.collect()
out("count.after_collect", gc.get_count())
gc.collect(0)
out("count.after_collect0", gc.get_count())
gc.collect(1)
out("count.after_collect1", gc.get_count())
gc.collect(2)
out("count.after_collect2", gc.get_count())
keep = [None] * 100
gc.collect()
for i in range(100):
    keep[i] = Node()
out("count.after_100_allocs", gc.get_count())
before = gc.get_count()[0]
for i in range(40):
    keep[i] = None
out("count.dealloc_delta", before - gc.get_count()[0])
keep = None
gc.collect()
x = 1 + 1  # ints, strs are untracked: no count
s = "abc" * x
out("count.after_untracked", gc.get_count())

# Generations: a survivor moves 0 -> 1 -> 2 and stays in 2.
gc.collect()
n = Node()
out("gen.new", [in_gen(n, g) for g in range(3)])
gc.collect(0)
out("gen.after_collect0", [in_gen(n, g) for g in range(3)])
gc.collect(1)
out("gen.after_collect1", [in_gen(n, g) for g in range(3)])
gc.collect(2)
out("gen.after_collect2", [in_gen(n, g) for g in range(3)])
del n

# get_stats: only the collected generation's entry moves.
def stats():
    return [(d["collections"], d["collected"], d["uncollectable"]) for d in gc.get_stats()]
before = stats()
a = ring(4); del a
gc.collect(0)
after = stats()
out("stats.collect0_delta", [tuple(y - x for x, y in zip(b, c)) for b, c in zip(before, after)])
before = stats()
a = ring(3); del a
gc.collect(2)
after = stats()
out("stats.collect2_delta", [tuple(y - x for x, y in zip(b, c)) for b, c in zip(before, after)])

# Errors.
for bad in (3, 100):
    try:
        gc.collect(bad)
    except ValueError as e:
        out(f"error.collect{bad}", e)
try:
    gc.get_objects(3)
except ValueError as e:
    out("error.get_objects3", e)
try:
    gc.set_threshold(2**31)
except OverflowError as e:
    out("error.threshold_overflow", e)
out("threshold.default", gc.get_threshold())

# enable / disable / isenabled: only the switch (automatic runs are measured in auto.*).
out("enable.after_disable", gc.isenabled())
gc.enable()
out("enable.after_enable", gc.isenabled())
gc.enable()
out("enable.after_enable_twice", gc.isenabled())
gc.disable()
out("enable.after_disable_again", gc.isenabled())

# set_debug / get_debug.
gc.set_debug(gc.DEBUG_COLLECTABLE | gc.DEBUG_SAVEALL)
out("debug.after_set", gc.get_debug())
gc.set_debug(gc.DEBUG_LEAK)
out("debug.after_set_leak", gc.get_debug())
gc.set_debug(0)
out("debug.after_reset", gc.get_debug())

# set_threshold / get_threshold; a rejected call changes nothing.
gc.set_threshold(100, 5, 7)
out("threshold.after_set", gc.get_threshold())
gc.set_threshold(0, 0, 0)
out("threshold.after_set_zero", gc.get_threshold())
gc.set_threshold(2**31 - 1, 1, 2**31 - 1)
out("threshold.after_set_max", gc.get_threshold())
try:
    gc.set_threshold(5, 2**31, 1)
except OverflowError:
    pass
out("threshold.after_rejected_set", gc.get_threshold())
gc.set_threshold(2000, 10, 10)

# get_referents / get_referrers / is_tracked.
a, b = Node(), Node()
a.next = b
out("referents.node", [o is b for o in gc.get_referents(a)])
l = [a, b, a]
out("referents.list_len", len(gc.get_referents(l)))
out("referents.list_order", ["a" if o is a else "b" for o in gc.get_referents([a, b])])
out("referrers.b", sorted(type(o).__name__ for o in gc.get_referrers(b)))
out("is_tracked.node", gc.is_tracked(a))
out("is_tracked.int_str", (gc.is_tracked(1), gc.is_tracked("s")))
out("referents.untracked_args", gc.get_referents(1, "a"))
del a, b, l

# freeze: frozen garbage survives collections; unfreeze brings it back.
gc.collect()
a = ring(2)
gc.freeze()
out("freeze.count_after_freeze", gc.get_count())
del a
out("freeze.collect_while_frozen", gc.collect())
out("freeze.count_positive", gc.get_freeze_count() > 0)
gc.unfreeze()
out("freeze.count_after_unfreeze", gc.get_freeze_count())
out("freeze.collect_after_unfreeze", gc.collect())

# Callbacks: start and stop once each per collection, CPython's info keys.
calls = []
def cb(phase, info):
    calls.append((phase, info["generation"], info["collected"], info["uncollectable"]))
gc.callbacks.append(cb)
a = ring(3); del a
gc.collect()
gc.collect(0)
gc.callbacks.remove(cb)
out("callbacks.calls", calls)
def nested(phase, info):
    calls.append(("nested", gc.collect()))
calls = []
gc.callbacks.append(nested)
gc.collect()
gc.callbacks.remove(nested)
out("callbacks.nested_collect", calls)
# A callback added by a callback: CPython re-reads gc.callbacks by index, so the new one
# already runs in the phase that added it.
calls = []
def late(phase, info):
    calls.append(("late", phase))
def adder(phase, info):
    calls.append(("adder", phase))
    if late not in gc.callbacks:
        gc.callbacks.append(late)
gc.callbacks.append(adder)
gc.collect()
gc.callbacks.remove(adder)
gc.callbacks.remove(late)
out("callbacks.added_during_phase", calls)

# Nested collect inside __del__ returns 0.
class Collector:
    __slots__ = ("next",)
    result = None
    def __del__(self):
        Collector.result = gc.collect()
c = Collector(); c.next = c; del c
gc.collect()
out("del.nested_collect", Collector.result)

# Automatic collection: number of collections per generation for 1200 tracked
# allocations after gc.collect(), per threshold setting.
def auto(t):
    keep = [None] * 1200
    gc.collect()
    out(f"auto.{t[0]}_{t[1]}_{t[2]}.long_lived_has_ballast", len(gc.get_objects(2)) >= 20000)
    gc.set_threshold(*t)
    s0 = stats()
    gc.enable()
    for i in range(1200):
        keep[i] = Node()
    gc.disable()
    s1 = stats()
    gc.set_threshold(2000, 10, 10)
    return [b[0] - a[0] for a, b in zip(s0, s1)]
ballast = [Node() for _ in range(20000)]
gc.collect()
for t in ((5, 10, 10), (5, 0, 1000), (5, 1000, 0), (0, 10, 10), (100, 2, 2), (1, 1, 1)):
    out(f"auto.{t[0]}_{t[1]}_{t[2]}", auto(t))

# sys.getrefcount: CPython counts the argument's reference too.
x = Node()
out("getrefcount.fresh", sys.getrefcount(x))
y = x
out("getrefcount.alias", sys.getrefcount(x))

# DEBUG_STATS: the lines around a collection of one self-cycle, captured from sys.stderr.
class Capture:
    def __init__(self):
        self.parts = []
    def write(self, text):
        self.parts.append(text)
        return len(text)
    def flush(self):
        pass
a = ring(1); del a
captured = sys.stderr
sys.stderr = Capture()
gc.set_debug(gc.DEBUG_STATS)
gc.collect()
gc.set_debug(0)
lines = "".join(sys.stderr.parts).splitlines()
sys.stderr = captured
out("debug.stats.lines", len(lines))
out("debug.stats.first", lines[0])
out("debug.stats.generations", (lines[1].rsplit(":", 1)[0], len(lines[1].rsplit(":", 1)[1].split())))
out("debug.stats.permanent", lines[2])
out("debug.stats.done", lines[3].rsplit(", ", 1)[0])
out("debug.flags", (gc.DEBUG_STATS, gc.DEBUG_COLLECTABLE, gc.DEBUG_UNCOLLECTABLE, gc.DEBUG_SAVEALL, gc.DEBUG_LEAK))
