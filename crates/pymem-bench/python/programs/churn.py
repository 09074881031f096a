# churn: a churn of small short-lived objects. Each step makes lists, dicts, tuples, strings
# and instances, computes something from them and drops them; a small ring buffer keeps the
# last few survivors alive a little longer, so some objects die young and some in middle age.
# Automatic collection stays on with the interpreter's default thresholds. Ends with one line:
#   RESULT churn checksum=<int> gc_ms=<ms or -1> collections=<g0>/<g1>/<g2>
import gc

from _gcmeter import GcMeter


STEPS = 400000
WINDOW = 64
MASK = 0xFFFFFFFF


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def moved(self, dx, dy):
        return Point(self.x + dx, self.y + dy)


class Record:
    def __init__(self, key, point, items):
        self.key = key
        self.point = point
        self.items = items

    def weight(self):
        return self.point.x * 3 + self.point.y + len(self.items) + len(self.key)


def step(i):
    items = [i, i + 1, i + 2, i & 15]
    table = {"a": i, "b": items[1], "c": (i, i & 7)}
    point = Point(i & 255, (i >> 3) & 255).moved(1, 2)
    key = "k" + str(i & 1023)
    record = Record(key, point, items)
    pair = (record, table)
    squares = [v * v for v in items]
    table["d"] = sum(squares) & 0xFFFF
    return pair[0].weight() + table["d"] + table["c"][1] + len(pair)


def main():
    meter = GcMeter()
    checksum = 0
    window = [None] * WINDOW
    for i in range(STEPS):
        value = step(i)
        # A survivor now and then: it lives for WINDOW more survivors, then dies.
        if i % 3 == 0:
            window[(i // 3) % WINDOW] = [value, {"v": value}, Point(value, i)]
        checksum = (checksum * 31 + value) & MASK
    for kept in window:
        checksum = (checksum + kept[0] + kept[1]["v"] + kept[2].y) & MASK
    meter.report("churn", checksum)


main()
