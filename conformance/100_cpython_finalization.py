# PEP 442 finalization and weakref callbacks (port of crates/pymem/tests/cpython/finalization.py).
"""PEP 442 finalization and weakref callbacks, in shapes from CPython's test_finalization.py,
test_weakref.py and test_gc.py (bug1055820c/d). Ported from crates/pymem/tests/cpython/finalization.py
(where record.sh stores the output in finalization.out; tests/all/finalize.rs and
tests/all/pep442.rs build the same objects in Rust and compare the numbers).

Conformance-suite adaptations: io.StringIO and re are not available, so a small Capture class
stands in for sys.stderr and mask() hides addresses by hand; the DEBUG_COLLECTABLE line, which
CPython writes to sys.stderr with an address, is captured the same way and printed masked.

Object model: each class has `__slots__ = ("ref", "__weakref__")`, so one instance is one GC
object, like pymem's `Gc<Obj>` with `ref: RefCell<Option<Object>>`. Automatic collection is
off; every count is exact.
"""
import gc
import sys
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


class Capture:
    """Stands in for sys.stderr: keeps what is written."""

    def __init__(self):
        self.parts = []

    def write(self, text):
        self.parts.append(text)
        return len(text)

    def flush(self):
        pass

    def getvalue(self):
        return "".join(self.parts)


def mask(line):
    """Replaces each 0x-prefixed hex number with 0x…, like re.sub("0x[0-9a-f]+", "0x…", line)."""
    result, i = [], 0
    while i < len(line):
        if line.startswith("0x", i) and i + 2 < len(line) and line[i + 2] in "0123456789abcdef":
            j = i + 2
            while j < len(line) and line[j] in "0123456789abcdef":
                j += 1
            result.append("0x…")
            i = j
        else:
            result.append(line[i])
            i += 1
    return "".join(result)


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

# DEBUG_COLLECTABLE: one line per unreachable object, on sys.stderr (captured, masked, printed).
reset()
captured = sys.stderr
sys.stderr = Capture()
gc.set_debug(gc.DEBUG_COLLECTABLE)
y = Simple("printed")
y.ref = y
del y
collected = gc.collect()
gc.set_debug(0)
debug_lines = sys.stderr.getvalue().splitlines()
sys.stderr = captured
out("collectable.collected", collected)
out("collectable.stderr", [mask(line) for line in debug_lines])

# bug1055820c (test_gc): c0, in the oldest generation, is kept alive only by c1, young
# cyclic trash. A generation-0 collection clears c1, c0 dies by refcount, and c0's weakref
# callback asks, through a callback-less weakref, for c2, other young trash: it gets None.
class C1055820:
    __slots__ = ("i", "loop", "keep", "__weakref__")

    def __init__(self, i):
        self.i = i
        self.loop = self
        self.keep = None


reset()
ouch = []
c0 = C1055820(0)
gc.collect()  # c0 moves to the oldest generation
c1 = C1055820(1)
c1.keep = c0
c0.loop = None  # now only c1 keeps c0 alive
c2 = C1055820(2)
c2wr = weakref.ref(c2)  # no callback
c0wr = weakref.ref(c0, lambda _: ouch.append(c2wr()))
c0 = c1 = c2 = None
collected = gc.collect(0)
out("bug1055820c", (ouch, collected, c0wr() is None))


# bug1055820d: the same, with c0's __del__ asking for c2 instead of a weakref callback.
class D1055820(C1055820):
    __slots__ = ()

    def __del__(self):
        ouch.append(c2wr())


reset()
ouch = []
d0 = D1055820(0)
gc.collect()
c1 = C1055820(1)
c1.keep = d0
d0.loop = None
c2 = C1055820(2)
c2wr = weakref.ref(c2)
d0 = c1 = c2 = None
collected = gc.collect(0)
out("bug1055820d", (ouch, collected))


# Hostile callbacks (five on one object, run newest first): the newest raises, the next
# drops the weakref of callback 1, whose callback is already queued (the queue holds the
# weakref, so it still runs), then one makes a weakref, one collects, the oldest makes a
# ring of garbage. Reported exceptions are (err_msg, message).
def hostile_callbacks(cyclic):
    reset()
    log, reports = [], []
    sys.unraisablehook = lambda u: reports.append((u.err_msg, str(u.exc_value)))
    x = Simple("x")
    if cyclic:
        x.ref = x
    other = Simple("other")
    wrs = []

    def callback(i):
        def call(_):
            log.append(i)
            if i == 0:
                chain(["simple"] * 3)
            elif i == 1:
                log.append(("collect", gc.collect()))
            elif i == 2:
                weakref.ref(other)
            elif i == 3:
                wrs[1] = None
            else:
                raise RuntimeError("callback failed")
        return call

    wrs.extend(weakref.ref(x, callback(i)) for i in range(5))
    del x
    collected = gc.collect()
    sys.unraisablehook = sys.__unraisablehook__
    return (log, reports, collected, gc.collect())


out("callbacks.hostile.cyclic", hostile_callbacks(True))
out("callbacks.hostile.refcount", hostile_callbacks(False))


# A weakref that dies before its referent never calls back: y's callback drops the only
# reference to the weakref to z, then z dies.
reset()
log = []
y, z = Simple("y"), Simple("z")
holder = [weakref.ref(z, lambda _: log.append("z"))]
wy = weakref.ref(y, lambda _: (log.append("y"), holder.clear()))
del y
del z
out("callbacks.dead_weakref_never_calls_back", log)


# The default unraisable hook's first line for a failing weakref callback (addresses
# masked; CPython names the callback function, then prints a traceback).
def failing(_):
    raise RuntimeError("callback failed")


captured = sys.stderr
sys.stderr = Capture()
x = Simple("x")
w = weakref.ref(x, failing)
del x
head = sys.stderr.getvalue().splitlines()[0]
sys.stderr = captured
out("unraisable.default_head", mask(head))


# A ring a -> c -> b -> a whose first finalizer (a, suicidal) releases c while the
# collector finalizes the ring: c dies by refcount inside the collection's set with its
# own finalizer still due, which resurrects it. subtype_dealloc tracks c anew, in
# generation 0; c keeps b and a alive, which move on with the survivors (generation 2).
def generation_of(obj):
    return next(g for g in range(3) if any(o is obj for o in gc.get_objects(g)))


reset()
a, b, c = Suicidal("a"), Simple("b"), Resurrector("c")
a.ref, c.ref, b.ref = c, b, a
del a, b, c
collected = gc.collect()
(c,) = survivors
b = c.ref
a = b.ref
out("resurrected_in_the_set.collect", (collected, sorted(events)))
out("resurrected_in_the_set.generations", tuple(generation_of(o) for o in (a, b, c)))
del a, b, c
survivors.clear()
out("resurrected_in_the_set.again", gc.collect())


# `__callback__ is not None`, inside the callback and after it, when the referent dies by
# refcount (PyObject_ClearWeakRefs clears the callback first) and as cyclic garbage
# (handle_weakrefs leaves it set).
def callback_attached(cyclic):
    seen = []
    x = Simple("x")
    if cyclic:
        x.ref = x
    w = weakref.ref(x, lambda wr: seen.append(wr.__callback__ is not None))
    del x
    gc.collect()
    return (seen[0], w.__callback__ is not None)


reset()
out("callbacks.attached", (callback_attached(False), callback_attached(True)))
