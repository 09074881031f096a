"""PEP 442 finalization and weakref callbacks, in shapes from CPython's test_finalization.py
and test_weakref.py. record.sh stores the output in finalization.out; tests/all/finalize.rs
builds the same objects in Rust and compares the numbers.

Object model: each class has `__slots__ = ("ref", "__weakref__")`, so one instance is one GC
object, like pymem's `Gc<Obj>` with `ref: RefCell<Option<Object>>`. Automatic collection is
off; every count is exact.
"""
import gc
import weakref

gc.disable()
gc.collect()

events = []
survivors = []


class Simple:
    """A plain finalizer."""
    __slots__ = ("ref", "name", "__weakref__")

    def __init__(self, name=""):
        self.ref = None
        self.name = name

    def __del__(self):
        events.append("del " + self.name)


class Resurrector(Simple):
    __slots__ = ()

    def __del__(self):
        events.append("del " + self.name)
        survivors.append(self)


class Suicidal(Simple):
    __slots__ = ()

    def __del__(self):
        events.append("del " + self.name)
        self.ref = None


KINDS = {"simple": Simple, "resurrect": Resurrector, "suicidal": Suicidal}


def out(key, value):
    print(f"{key}: {value}")


def reset():
    gc.collect()
    events.clear()
    survivors.clear()


def chain(kinds):
    """A ring of objects of the given kinds; returns weakrefs to all of them."""
    objs = [KINDS[k](f"{i}") for i, k in enumerate(kinds)]
    for a, b in zip(objs, objs[1:] + objs[:1]):
        a.ref = b
    return [weakref.ref(o) for o in objs]


def ring_scenario(name, kinds):
    reset()
    wrs = chain(kinds)
    collected = gc.collect()
    dels = len(events)
    alive = sum(w() is not None for w in wrs)
    held = len(survivors)
    out(f"{name}.first", (collected, dels, held, alive))
    survivors.clear()
    collected = gc.collect()
    out(f"{name}.second", (collected, len(events) - dels))


# test_finalization: self-cycles and chains of 2-6 nodes, homogeneous and mixed.
ring_scenario("self_cycle", ["simple"])
ring_scenario("self_cycle_resurrector", ["resurrect"])
ring_scenario("self_cycle_suicidal", ["suicidal"])
for n in range(2, 7):
    for kind in ("simple", "resurrect", "suicidal"):
        ring_scenario(f"chain{n}_{kind}", [kind] * n)
    mixed = [("simple", "resurrect", "suicidal")[i % 3] for i in range(n)]
    ring_scenario(f"chain{n}_mixed", mixed)

# Refcount death: __del__ once; a resurrector survives and its weakref stays alive.
reset()
s = Simple("r")
w = weakref.ref(s)
del s
out("refcount.simple", (len(events), w() is None))
reset()
r = Resurrector("r")
w = weakref.ref(r)
del r
out("refcount.resurrector", (len(events), len(survivors), w() is not None))
r = survivors.pop()
del r
out("refcount.resurrector_again", (len(events), w() is None))

# Event order: refcount death runs __del__ then callbacks; cyclic death runs callbacks first.
reset()
s = Simple("x")
w = weakref.ref(s, lambda _: events.append("callback"))
del s
out("order.refcount", events)
reset()
s = Simple("x")
s.ref = s
w = weakref.ref(s, lambda _: events.append("callback"))
del s
gc.collect()
out("order.cyclic", events)

# Callbacks run newest first, and see their ref dead.
reset()
s = Simple("x")
seen = []
refs = [weakref.ref(s, lambda r, i=i: seen.append((i, r() is None))) for i in range(4)]
del s
out("callbacks.newest_first", seen)

# getweakrefcount / getweakrefs: the plain ref is shared; callback refs are not.
o = Simple()
plain1, plain2 = weakref.ref(o), weakref.ref(o)
cb1 = weakref.ref(o, lambda _: None)
cb2 = weakref.ref(o, lambda _: None)
out("weakrefs.count", weakref.getweakrefcount(o))
out("weakrefs.order", [x is plain1 for x in weakref.getweakrefs(o)] + [weakref.getweakrefs(o)[1] is cb2])
del cb1
out("weakrefs.count_after_del", weakref.getweakrefcount(o))
del o, plain1, plain2, cb2

# Callbacks on cyclic trash: a reachable weakref's callback runs; one that is trash does not.
reset()
fired = []
a, b = Simple("a"), Simple("b")
a.ref, b.ref = b, a
outside = weakref.ref(a, lambda _: fired.append("outside"))
inside_holder = Simple("holder")
inside_holder.ref = weakref.ref(b, lambda _: fired.append("inside"))
b.name = "b"
a.ref = [b, inside_holder]
del a, b, inside_holder
collected = gc.collect()
out("trash.callbacks", (sorted(fired), collected))

# Two objects in a cycle holding callback weakrefs to each other: neither callback runs.
reset()
fired = []
c1, c2 = Simple("c1"), Simple("c2")
c1.ref = [c2, weakref.ref(c2, lambda _: fired.append("c1's"))]
c2.ref = [c1, weakref.ref(c1, lambda _: fired.append("c2's"))]
del c1, c2
collected = gc.collect()
out("trash.mutual_weakrefs", (fired, collected, gc.collect()))

# DEBUG_SAVEALL: the cycle goes to gc.garbage instead of being freed.
reset()
gc.set_debug(gc.DEBUG_SAVEALL)
x = Simple("saved")
x.ref = x
del x
collected = gc.collect()
gc.set_debug(0)
out("saveall", (collected, len(gc.garbage), len(events)))
gc.garbage.clear()
out("saveall.after_clear", (gc.collect(), len(events)))

# is_finalized.
reset()
r = Resurrector("f")
out("is_finalized.before", gc.is_finalized(r))
del r
r = survivors.pop()
out("is_finalized.after", gc.is_finalized(r))

# DEBUG_COLLECTABLE: one line per unreachable object, on stderr (finalization.err).
reset()
gc.set_debug(gc.DEBUG_COLLECTABLE)
y = Simple("printed")
y.ref = y
del y
out("collectable.collected", gc.collect())
gc.set_debug(0)
