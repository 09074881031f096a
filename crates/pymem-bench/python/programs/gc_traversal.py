# gc_traversal: after pyperformance's gc_traversal. Builds one large tree of objects that
# stays alive, then runs full collections over it several times: the collector must
# traverse every live container each time and finds nothing to free. Ends with one line:
#   RESULT gc_traversal checksum=<int> gc_ms=<ms or -1> collections=<g0>/<g1>/<g2>
import gc

try:
    from time import perf_counter
except ImportError:
    perf_counter = None


class GcMeter:
    """Time spent in collections (gc.callbacks start/stop) and collections per generation."""

    def __init__(self):
        self.total = 0.0
        self.started = None
        self.hooked = False
        self.before = self.counts()
        if perf_counter is not None and hasattr(gc, "callbacks"):
            gc.callbacks.append(self.callback)
            self.hooked = True

    def counts(self):
        return [s["collections"] for s in gc.get_stats()]

    def callback(self, phase, info):
        if phase == "start":
            self.started = perf_counter()
        elif phase == "stop" and self.started is not None:
            self.total += perf_counter() - self.started
            self.started = None

    def report(self, name, checksum):
        after = self.counts()
        if self.hooked:
            gc.callbacks.remove(self.callback)
            total_ms = self.total * 1000.0
            ms = f"{total_ms:.3f}"
        else:
            ms = "-1"
        deltas = "/".join([str(after[i] - self.before[i]) for i in range(3)])
        print(f"RESULT {name} checksum={checksum} gc_ms={ms} collections={deltas}")


DEPTH = 9
FANOUT = 4
COLLECTIONS = 8
MASK = 0xFFFFFFFF


class Tree:
    def __init__(self, value, parent):
        self.value = value
        self.parent = parent
        self.children = []
        self.tags = (value & 7, value & 3)


def build(depth):
    """A complete FANOUT-ary tree of `depth` levels below the root, built without recursion."""
    root = Tree(1, None)
    level = [root]
    counter = 1
    for _ in range(depth):
        below = []
        for node in level:
            for _ in range(FANOUT):
                counter += 1
                child = Tree((counter * 2654435761) & 0xFFFF, node)
                node.children.append(child)
                below.append(child)
        level = below
    return root


def digest(root):
    """Node count and a position-sensitive sum over a depth-first walk with an explicit stack."""
    count = 0
    total = 0
    stack = [root]
    while stack:
        node = stack.pop()
        count += 1
        total = (total * 31 + node.value + node.tags[0]) & MASK
        stack.extend(node.children)
    return count, total


def main():
    meter = GcMeter()
    root = build(DEPTH)
    count, total = digest(root)
    freed = 0
    for _ in range(COLLECTIONS):
        freed += gc.collect()
    # The tree is still whole after all those collections.
    count2, total2 = digest(root)
    if (count2, total2) != (count, total):
        raise AssertionError("the tree changed during collections")
    meter.report("gc_traversal", count * 1000003 + total)


main()
