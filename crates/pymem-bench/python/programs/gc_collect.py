# gc_collect: after pyperformance's gc_collect. Builds many small cyclic graphs (rings of
# nodes, each node also holding a chord back to its ring's head), walks them, drops them and
# calls gc.collect() explicitly after every batch, so each full collection has real garbage
# to find. Ends with one line:
#   RESULT gc_collect checksum=<int> gc_ms=<ms or -1> collections=<g0>/<g1>/<g2>
import gc

from _gcmeter import GcMeter


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
