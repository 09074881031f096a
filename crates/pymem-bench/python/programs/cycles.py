# cycles: many short-lived reference cycles, dropped every iteration and left to the
# automatic collector (no explicit gc.collect()): parent/child pairs, small rings of
# instances, self-referencing lists and dicts, and a bound method stored on its own
# instance. Reference counting alone frees none of them. Ends with one line:
#   RESULT cycles checksum=<int> gc_ms=<ms or -1> collections=<g0>/<g1>/<g2>
import gc

from _gcmeter import GcMeter


STEPS = 200000
MASK = 0xFFFFFFFF


class Parent:
    def __init__(self, value):
        self.value = value
        self.children = []

    def adopt(self, child):
        self.children.append(child)
        child.parent = self


class Child:
    def __init__(self, value):
        self.value = value
        self.parent = None

    def total(self):
        return self.value + self.parent.value


class Link:
    def __init__(self, value):
        self.value = value
        self.next = None


class Callbacky:
    def __init__(self, value):
        self.value = value
        self.hook = self.get

    def get(self):
        return self.value


def make_garbage(i):
    """Builds several cycles, reads from them, and returns a number; all of it becomes garbage."""
    parent = Parent(i & 1023)
    for k in range(3):
        parent.adopt(Child(k + (i & 7)))
    score = 0
    for child in parent.children:
        score += child.total()
    first = Link(i & 31)
    last = first
    for k in range(4):
        node = Link(k)
        last.next = node
        last = node
    last.next = first
    node = first.next
    hops = 1
    while node is not first:
        score += node.value * hops
        hops += 1
        node = node.next
    box = [i & 255]
    box.append(box)
    score += box[1][1][0]
    table = {"n": i & 63}
    table["self"] = table
    score += table["self"]["self"]["n"]
    cb = Callbacky(i & 15)
    score += cb.hook()
    return score


def main():
    meter = GcMeter()
    checksum = 0
    for i in range(STEPS):
        checksum = (checksum * 31 + make_garbage(i)) & MASK
    meter.report("cycles", checksum)


main()
