"""CPython's side of pymem-bench: the workloads of ``src/workloads.rs``, written in Python.

Usage: ``python workloads.py <workload> <n> [nogc]``

Each workload does the same work as its Rust twin and computes the same checksum and the
same count of allocated nodes, so the driver can check CPython against the Rust peers. It
prints one line in the format of ``bench-cell`` (``Outcome::to_line`` in ``src/outcome.rs``):

    alloc=pymalloc checksum=<u64> [allocated=<n> freed=<n>] <phase>_ns=<ns> ... total_ns=<ns>
        [pauses_ns=<ns,...|->] hwm_kib=<KiB>

(``allocated``/``freed`` only with ``PYMEM_BENCH_COUNT=1``; see ``COUNTING``.)

``nogc`` turns automatic collection off (``gc.disable()``); the workloads' explicit
``gc.collect()`` calls still run. Without it, gc keeps this interpreter's defaults.
Keep this file in step with ``src/workloads.rs``.
"""

import gc
import os
import sys
import time
import weakref
from array import array as flat_array

MASK = (1 << 64) - 1
now = time.perf_counter_ns

# Nodes allocated, counted where the Rust code calls `count::allocated()`, but only with
# PYMEM_BENCH_COUNT=1 (the smoke test sets it): counting in every `__init__` costs CPython
# about 20% on the allocation-bound workloads, which would make timed runs unfair to it.
COUNTING = os.environ.get("PYMEM_BENCH_COUNT") == "1"
allocated = 0


class SplitMix64:
    """The generator of ``src/prng.rs``."""

    __slots__ = ("state",)

    def __init__(self, seed):
        self.state = seed

    def next_u64(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def below(self, n):
        return self.next_u64() % n


class Node:
    """B1, B2, B3, B10, B13: a value and one link."""

    __slots__ = ("v", "next")

    def __init__(self, v):
        self.v = v
        self.next = None


class WeakNode(Node):
    """B13's node. Only it carries the weak-reference slot, so that the other workloads'
    nodes stay as small as CPython allows."""

    __slots__ = ("__weakref__",)


class Tree:
    """B6, B10: an immutable binary tree, built bottom-up."""

    __slots__ = ("l", "r")

    def __init__(self, l, r):
        self.l = l
        self.r = r


def tree(depth):
    if depth == 0:
        return Tree(None, None)
    return Tree(tree(depth - 1), tree(depth - 1))


def check(t):
    return 1 + (0 if t.l is None else check(t.l)) + (0 if t.r is None else check(t.r))


class Ring:
    """B4: a doubly linked ring node."""

    __slots__ = ("next", "prev")

    def __init__(self):
        self.next = None
        self.prev = None


class PTree:
    """B7: a tree node with a strong parent pointer."""

    __slots__ = ("parent", "left", "right")

    def __init__(self, left, right):
        self.parent = None
        self.left = left
        self.right = right


class GNode:
    """B8: GCBench's mutable node."""

    __slots__ = ("left", "right")

    def __init__(self):
        self.left = None
        self.right = None


class Graph:
    """B9: a node of a random graph (its edges are a list, as the Rust `Vec`)."""

    __slots__ = ("edges",)

    def __init__(self):
        self.edges = []


def swap_remove(items, i):
    """Rust's `Vec::swap_remove`: the last item takes the place of item i."""
    last = items.pop()
    if i < len(items):
        items[i] = last


def tree_size(depth):
    return (1 << (depth + 1)) - 1


def churn(n):
    total = 0
    for i in range(n):
        x = Node(i)
        total += x.v
    return total, []


def bulk(n):
    every = [Node(i) for i in range(n)]
    total = 0
    # The loop variable is the clone: iterating takes a new reference to each node and
    # drops it at the next.
    for x in every:
        total += x.v
    del every
    return total, []


def cycles(n):
    t = now()
    total = 0
    for i in range(n):
        a, b = Node(i), Node(i + 1)
        a.next = b
        b.next = a
        total += a.v + b.v
    # Drop the last pair before the collection, as the end of Rust's loop body does.
    a = b = None
    build = now() - t
    t = now()
    gc.collect()
    return total, [("build", build), ("collect", now() - t)]


def ring():
    """pyperformance's `create_cycle(node, 20)`: 21 nodes linked both ways."""
    first = Ring()
    current = first
    for _ in range(20):
        nxt = Ring()
        current.next = nxt
        nxt.prev = current
        current = nxt
    current.next = first
    first.prev = current
    return first


def rings(n):
    collecting = 0
    for _ in range(n):
        every = [ring() for _ in range(100)]
        del every
        t = now()
        gc.collect()
        collecting += now() - t
    return 2100 * n, [("collect", collecting)]


def touch_levels(top):
    edges, current = 0, top
    while True:
        edges += len(current)
        if not current:
            return edges
        current = current[0]


def traverse(n):
    # A level is a plain list (as in pyperformance's gc_traversal), not a node object.
    global allocated
    t = now()
    top = []
    allocated += 1
    for k in range(n):
        # Level k holds k references to level k - 1 (level 0 is empty and frees the
        # starting list).
        top = [top] * k
        allocated += 1
    build = now() - t
    edges = 0
    best = None
    for _ in range(9):
        edges = touch_levels(top)
        t = now()
        gc.collect()
        elapsed = now() - t
        best = elapsed if best is None else min(best, elapsed)
    del top
    return edges, [("build", build), ("collect", best)]


def bintrees(n):
    min_depth, max_depth = 4, max(n, 6)
    total = check(tree(max_depth + 1))
    long_lived = tree(max_depth)
    for d in range(min_depth, max_depth + 1, 2):
        for _ in range(1 << (max_depth - d + min_depth)):
            total += check(tree(d))
    total += check(long_lived)
    return total, []


def ptree(depth):
    if depth == 0:
        return PTree(None, None)
    left, right = ptree(depth - 1), ptree(depth - 1)
    me = PTree(left, right)
    for child in (left, right):
        if child.left is not None:
            child.parent = me
    return me


def pcheck(t):
    return 1 + (0 if t.left is None else pcheck(t.left)) + (0 if t.right is None else pcheck(t.right))


def parenttrees(n):
    total = 0
    for depth in range(4, n, 2):
        checked = 0
        for _ in range(1 << (n - depth + 4)):
            t = ptree(depth)
            checked += pcheck(t)
        total += checked
    return total, []


def populate(depth, node):
    if depth > 0:
        l, r = GNode(), GNode()
        node.left = l
        node.right = r
        populate(depth - 1, l)
        populate(depth - 1, r)


def make_gtree(depth):
    node = GNode()
    if depth > 0:
        node.left = make_gtree(depth - 1)
        node.right = make_gtree(depth - 1)
    return node


def gcbench(n):
    """Boehm's GCBench with kLongLivedTreeDepth = n, kStretchTreeDepth = n + 2,
    kMinTreeDepth = 4, kArraySize = 500000."""
    stretch, long_depth, min_depth = n + 2, n, 4
    make_gtree(stretch)
    long_lived = GNode()
    populate(long_depth, long_lived)
    # One flat block of doubles, as Rust's Vec<f64> (and GCBench's double[]); a list would
    # add 250,000 float objects.
    array = flat_array("d", [0.0]) * 500_000
    for i in range(1, 250_000):
        array[i] = 1.0 / i
    nodes = tree_size(stretch) + tree_size(long_depth)
    for d in range(min_depth, n + 1, 2):
        iters = 2 * tree_size(stretch) // tree_size(d)
        for _ in range(iters):
            t = GNode()
            populate(d, t)
        for _ in range(iters):
            make_gtree(d)
        nodes += 2 * iters * tree_size(d)
    assert long_lived.left is not None or long_depth == 0
    assert array[1000] == 1.0 / 1000.0
    return nodes, []


def stress(n):
    """rust-cc's stress test: n + 1 rooted nodes, n + 1 random edges, then the roots are
    truncated in 32 steps with a collection after each."""
    rng = SplitMix64(0xCAFE)
    nodes = [Graph() for _ in range(n + 1)]
    for _ in range(n + 1):
        a = rng.below(len(nodes))
        b = rng.below(len(nodes))
        nodes[a].edges.append(nodes[b])
    step = max(n // 32, 1)
    total = 0
    for i in range(0, n, step):
        del nodes[n - i:]
        gc.collect()
        total += len(nodes)
    del nodes
    return total, []


def multiref(n):
    """dumpster's Multiref: 50 nodes, then n random operations (create, link, drop a root,
    drop an edge)."""
    rng = SplitMix64(12345)
    gcs = [Graph() for _ in range(50)]
    total = 0
    for _ in range(n):
        kind = rng.below(4) if gcs else 0
        if kind == 0:
            gcs.append(Graph())
        elif kind == 1:
            if len(gcs) > 1:
                frm, to = rng.below(len(gcs)), rng.below(len(gcs))
                gcs[frm].edges.append(gcs[to])
        elif kind == 2:
            swap_remove(gcs, rng.below(len(gcs)))
        else:
            edges = gcs[rng.below(len(gcs))].edges
            if edges:
                swap_remove(edges, rng.below(len(edges)))
        total = (total * 31 + kind + len(gcs)) & MASK
    del gcs
    return total, []


def pause(n):
    """B10: a tree of 2^(n+1) - 1 long-lived nodes, then as many 2-node garbage cycles;
    each automatic collection of the steady phase is a pause. Ends with one timed full
    collection with the tree alive."""
    if not gc.isenabled():
        return None
    long_lived = tree(n)
    gc.collect()
    total = check(long_lived)

    pauses = []
    started = []

    def probe(phase, info):
        if phase == "start":
            started.append(now())
        elif started:
            pauses.append(now() - started.pop())

    gc.callbacks.append(probe)
    t = now()
    for i in range(tree_size(n)):
        a, b = Node(i), Node(i + 1)
        a.next = b
        b.next = a
        total += a.v + b.v
    # Drop the last pair before the full collection, as Rust's closure does.
    a = b = None
    steady = now() - t
    gc.callbacks.remove(probe)
    t = now()
    gc.collect()
    full = now() - t
    del long_lived
    return total, [("steady", steady), ("full_collect", full)], pauses


def weak(n):
    target = WeakNode(7)
    weakref.ref(target)().v
    total = 0
    for _ in range(n):
        total += weakref.ref(target)().v
    del target
    return total, []


WORKLOADS = {
    "churn": churn,
    "bulk": bulk,
    "cycles": cycles,
    "rings": rings,
    "traverse": traverse,
    "bintrees": bintrees,
    "parenttrees": parenttrees,
    "gcbench": gcbench,
    "stress": stress,
    "multiref": multiref,
    "pause": pause,
    "weak": weak,
    # B12: the same programs, on the rows that compare tracemalloc off and on.
    "trace-churn": churn,
    "trace-bulk": bulk,
    "trace-bintrees": bintrees,
}


def peak_rss_kib():
    """`VmHWM` in KiB, or 0 where /proc is unavailable."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def run(workload, n):
    """`run` of workloads.rs: the workload, then one full collection; "total" covers both.
    Returns the output line, or None when the workload cannot run."""
    global allocated
    allocated = 0
    started = now()
    result = workload(n)
    if result is None:
        return None
    gc.collect()
    total_ns = now() - started
    checksum, phases = result[0], result[1]
    fields = ["alloc=pymalloc", f"checksum={checksum & MASK}"]
    if COUNTING:
        # CPython's frees are not observed (that would need a finalizer or a weak reference
        # per object, changing what is measured): every node type here is freed by
        # reference counting or by the final gc.collect(), so freed is reported equal to
        # allocated.
        fields += [f"allocated={allocated}", f"freed={allocated}"]
    fields += [f"{name}_ns={ns}" for name, ns in phases]
    fields.append(f"total_ns={total_ns}")
    if len(result) > 2:
        pauses = result[2]
        fields.append("pauses_ns=" + (",".join(map(str, pauses)) if pauses else "-"))
    fields.append(f"hwm_kib={peak_rss_kib()}")
    return " ".join(fields)



def count_instances(cls):
    """Counting mode: wrap `cls.__init__` so that each instance counts as allocated."""
    init = cls.__init__

    def counted_init(self, *args):
        global allocated
        allocated += 1
        init(self, *args)

    cls.__init__ = counted_init


if COUNTING:
    for counted_class in (Node, Tree, Ring, PTree, GNode, Graph):
        count_instances(counted_class)


def main(argv):
    args = argv[1:]
    nogc = args[2:] == ["nogc"]
    if len(args) not in (2, 3) or args[0] not in WORKLOADS or (len(args) == 3 and not nogc):
        print("usage: workloads.py <workload> <n> [nogc]", file=sys.stderr)
        return 2
    try:
        n = int(args[1])
    except ValueError:
        print("usage: workloads.py <workload> <n> [nogc]", file=sys.stderr)
        return 2
    if nogc:
        gc.disable()
    line = run(WORKLOADS[args[0]], n)
    print("unsupported" if line is None else line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
