"""CPython's side of the differential oracle (model/python.rs): reads op programs on stdin,
one per line, runs each as the Rust harness (model/program.rs) runs it, and prints one
line per program of what happened:

    <step>:<finalized>|<freed>|<callbacks>|<count> ...  S:<alive before teardown> L:<leaked>

with comma-separated ids, and <count> either `-` or `N/raw/R` for a Collect step.
argv[1] is `renew` or `move` (what StoreWeak does, see store_weak)."""

import gc
import sys
import weakref

RENEW = sys.argv[1] == "renew"

# What each program logs; flushed after each step.
fin, freed, fired, cleared, marks = [], [], [], [], []
finalizer_frees = set()


class Ref(weakref.ref):
    """A weakref of the program: its number, and the node that holds it (None: the harness)."""
    __slots__ = ("id", "holder")


class Watch(weakref.ref):
    """The script's own weakrefs, held in `registry`, never garbage."""
    __slots__ = ("id",)


def weak(cls, target, callback, id):
    w = cls(target, callback)
    w.id = id
    return w


def on_fire(w):
    fired.append(w.id)


def on_clear(w):
    cleared.append(w.id)


def on_free(w):
    freed.append(w.id)


# Code objects are weakref-able and not GC objects (every class defined in Python is one,
# even with empty __slots__): a node's tomb dies exactly when the node's slots are cleared
# (by tp_clear or at dealloc), never earlier, whatever a collection found, and it is never
# in a collection's count.
TOMB = compile("0", "tomb", "eval")


class Node(list):
    """One GC object, as a pymem object is: the list's items are the node's weakrefs (the
    first `weaks`) and then its edges. `list_dealloc` releases items last first, so edges
    go before weakrefs, as the Rust harness drops them; a list subclass also keeps the
    edges in the node's generation (a resurrected node moves, its items with it)."""
    __slots__ = ("id", "weaks", "tomb", "__weakref__")

    def __init__(self, id):
        self.id = id
        self.weaks = 0
        self.tomb = TOMB.replace()
        registry.append(weak(Watch, self, on_clear, id))
        registry.append(weak(Watch, self.tomb, on_free, id))

    def edge(self, k):
        return self.weaks + k % (len(self) - self.weaks)

    def has_edges(self):
        return len(self) > self.weaks


class Plain(Node):
    __slots__ = ()


class Finalized(Node):
    __slots__ = ()

    def __del__(self):
        fin.append(self.id)


class Resurrecting(Node):
    __slots__ = ()

    def __del__(self):
        fin.append(self.id)
        side.append(self)


class Releasing(Node):
    """Its finalizer releases its edges, last first (the Rust harness pops them). In a
    collection, the nodes that frees, and the node itself if nothing but the finalizer's
    own references are left (it is freed as the finalizer returns), are freed by refcount
    during the finalizers: gc.collect does not count them (`finalizer_frees`)."""
    __slots__ = ()

    def __del__(self):
        fin.append(self.id)
        before = len(freed)
        while self.has_edges():
            self.pop()
        finalizer_frees.update(freed[before:])
        # The collector's reference, this frame's and getrefcount's argument.
        if sys.getrefcount(self) == 3:
            finalizer_frees.add(self.id)


class Marker:
    """A self-cycle collected with every Collect: its finalizer runs after all of
    handle_weakrefs' callbacks and before any tp_clear, so it splits `cleared` into the
    nodes found unreachable and those freed later by refcount."""
    __slots__ = ("me",)

    def __del__(self):
        marks.append(len(cleared))


KINDS = (Plain, Finalized, Resurrecting, Releasing)
roots, side, held, registry = [], [], [], []
counters = [0, 0]  # objects, weakrefs


def swap_remove(items, at):
    """Rust's Vec::swap_remove: the last item takes the place of the removed one."""
    items[at], items[-1] = items[-1], items[at]
    return items.pop()


def new(kind):
    roots.append(KINDS[kind](counters[0]))
    counters[0] += 1


def clone_root(r):
    if roots:
        roots.append(roots[r % len(roots)])


def drop_root(r):
    if roots:
        swap_remove(roots, r % len(roots))


def link(a, b):
    if roots:
        n = len(roots)
        roots[a % n].append(roots[b % n])


def unlink(a, k):
    node = roots[a % len(roots)] if roots else None
    if node is not None and node.has_edges():
        del node[node.edge(k)]


def follow(a, k):
    node = roots[a % len(roots)] if roots else None
    if node is not None and node.has_edges():
        roots.append(node[node.edge(k)])


def make_weakref(a):
    if roots:
        w = weak(Ref, roots[a % len(roots)], on_fire, counters[1])
        w.holder = None
        held.append(w)
        counters[1] += 1


def store_weak(a, k):
    if roots and held:
        holder = roots[a % len(roots)]
        w = renew(swap_remove(held, k % len(held)), holder.id)
        holder.insert(0, w)
        holder.weaks += 1


def renew(w, holder):
    """pymem's Weak moved into an object becomes part of it, in its generation; a CPython
    weakref object keeps its own. `renew` gives the object a fresh weakref (same number,
    referent and callback; the old one dies without calling back, as its referent lives),
    allocated after the holder and so never in an older generation than it. A dead weakref
    is inert and kept. `move` mode keeps the old one, to show the difference."""
    target = w() if RENEW else None
    fresh = w if target is None else weak(Ref, target, on_fire, w.id)
    fresh.holder = holder
    return fresh


def drop_weak(k):
    if held:
        swap_remove(held, k % len(held))


def collect(g):
    """Returns `N/raw/R`: the nodes CPython's collection destroyed, what gc.collect
    returned, and how many weakref objects were among the garbage; raw = 1 + N + R, the
    1 being the marker."""
    holders = stored_weakref_holders(g)
    c0, f0, m0 = len(cleared), len(freed), len(marks)
    add_marker()
    finalizer_frees.clear()
    raw = gc.collect(g)
    boundary = marks[m0] if len(marks) > m0 else c0
    unreachable = set(cleared[c0:boundary])
    final = (unreachable & set(freed[f0:])) - finalizer_frees
    watch_again(unreachable - final)
    garbage_weakrefs = sum(1 for h in holders if h in final)
    return "%d/%d/%d" % (len(final), raw, garbage_weakrefs)


def stored_weakref_holders(g):
    """The holders of the weakref objects in the generations about to be collected."""
    objects = (o for i in range(g + 1) for o in gc.get_objects(generation=i))
    return [o.holder for o in objects if type(o) is Ref and o.holder is not None]


def watch_again(resurrected):
    """The collection cleared the weakrefs of the objects it resurrected: new ones, so that
    the next collection that finds them sees them too."""
    if resurrected:
        for o in gc.get_objects():
            if isinstance(o, Node) and o.id in resurrected:
                registry.append(weak(Watch, o, on_clear, o.id))


def add_marker():
    m = Marker()
    m.me = m


OPS = {
    "n": new,
    "c": clone_root,
    "d": drop_root,
    "l": link,
    "u": unlink,
    "f": follow,
    "w": make_weakref,
    "s": store_weak,
    "x": drop_weak,
}


def apply(token):
    """One op; Collect returns its count."""
    args = [int(a) for a in token[1:].split(",")]
    if token[0] == "g":
        return collect(*args)
    OPS[token[0]](*args)
    return None


def settle():
    """Resurrected objects become roots, in id order (the Rust harness sorts them too).
    A resurrection may have moved a node to a younger generation than its weakrefs
    (subtype_dealloc tracks it again in generation 0): they are renewed."""
    side.sort(key=lambda node: node.id)
    for node in side:
        node[: node.weaks] = [renew(w, node.id) for w in node[: node.weaks]]
    roots.extend(side)
    side.clear()


def ids(items):
    return ",".join(map(str, sorted(items)))


class Program:
    def __init__(self):
        self.out, self.dead = [], set()

    def flush(self, step, count):
        if fin or freed or fired or count:
            record = (ids(fin), ids(freed), ids(fired), count or "-")
            self.out.append("%d:%s|%s|%s|%s" % ((step,) + record))
        self.dead.update(freed)
        for log in (fin, freed, fired, cleared, marks):
            log.clear()

    def alive(self):
        return [i for i in range(counters[0]) if i not in self.dead]

    def run(self, tokens):
        for step, token in enumerate(tokens):
            count = apply(token)
            settle()
            self.flush(step, count)
        self.out.append("S:" + ids(self.alive()))
        teardown()
        self.flush(len(tokens), None)
        self.out.append("L:" + ids(self.alive()))
        return " ".join(self.out)


def teardown():
    """The Rust harness's `finish`: drop every root, collect, again while finalizers
    resurrect."""
    for _ in range(counters[0] + 1):
        while roots:
            roots.pop()
        settle()
        gc.collect()
        settle()
        if not roots:
            break


def reset():
    held.clear()
    gc.collect()
    registry.clear()
    counters[:] = [0, 0]
    for log in (fin, freed, fired, cleared, marks):
        log.clear()


def main():
    gc.disable()
    gc.collect()
    # Collections then look at the programs' objects only: the interpreter's own are in
    # the permanent generation.
    gc.freeze()
    for line in sys.stdin:
        print(Program().run(line.split()))
        reset()


main()
