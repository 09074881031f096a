# binary_trees: the benchmarks game's binary-trees at depth 16, with tuple nodes
# (left, right) and (None, None) for leaves. Allocates and drops millions of small trees while
# one long-lived tree stays alive. Ends with one line:
#   RESULT binary_trees checksum=<int> gc_ms=<ms or -1> collections=<g0>/<g1>/<g2>
import gc

from _gcmeter import GcMeter


MAX_DEPTH = 16
MIN_DEPTH = 4


def make_tree(depth):
    if depth == 0:
        return (None, None)
    depth -= 1
    return (make_tree(depth), make_tree(depth))


def check_tree(node):
    left, right = node
    if left is None:
        return 1
    return 1 + check_tree(left) + check_tree(right)


def main():
    meter = GcMeter()
    checksum = 0
    stretch = MAX_DEPTH + 1
    checksum += check_tree(make_tree(stretch))
    long_lived = make_tree(MAX_DEPTH)
    for depth in range(MIN_DEPTH, MAX_DEPTH + 1, 2):
        iterations = 2 ** (MAX_DEPTH - depth + MIN_DEPTH)
        check = 0
        for _ in range(iterations):
            check += check_tree(make_tree(depth))
        checksum = checksum * 7 + check + depth
    checksum = checksum * 7 + check_tree(long_lived)
    meter.report("binary_trees", checksum)


main()
