# gc_collect: after pyperformance's gc_collect. Builds many small cyclic graphs (rings of
# nodes, each node also holding a chord back to its ring's head), walks them, drops them and
# calls gc.collect() explicitly after every batch, so each full collection has real garbage
# to find. Ends with one line:
#   RESULT gc_collect checksum=<int> gc_ms=<ms or -1> collections=<g0>/<g1>/<g2>
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


BATCHES = 600
RINGS = 100
LINKS = 20
MASK = 0xFFFFFFFF


class Node:
    def __init__(self, value, head):
        self.value = value
        self.head = head
        self.edges = []


def make_ring(seed, links):
    """A ring of `links` + 1 nodes: head -> n1 -> ... -> nk -> head."""
    head = Node(seed, None)
    head.head = head
    current = head
    for i in range(links):
        node = Node((seed * 31 + i * 7) & 0xFFFF, head)
        current.edges.append(node)
        current = node
    current.edges.append(head)
    return head


def walk(head):
    """Sum of values once round the ring, each weighted by its position."""
    total = head.value
    node = head.edges[0]
    position = 1
    while node is not head:
        total += node.value * position
        position += 1
        node = node.edges[0]
    return total


def main():
    meter = GcMeter()
    checksum = 0
    for batch in range(BATCHES):
        rings = []
        for r in range(RINGS):
            rings.append(make_ring(batch * RINGS + r, LINKS))
        for head in rings:
            checksum = (checksum * 33 + walk(head)) & MASK
        del rings, head
        gc.collect()
    meter.report("gc_collect", checksum)


main()
