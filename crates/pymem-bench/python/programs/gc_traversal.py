# gc_traversal: after pyperformance's gc_traversal. Builds one large tree of objects that
# stays alive, then runs full collections over it several times: the collector must
# traverse every live container each time and finds nothing to free. Ends with one line:
#   RESULT gc_traversal checksum=<int> gc_ms=<ms or -1> collections=<g0>/<g1>/<g2>
import gc

from _gcmeter import GcMeter


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
