# Generations: a surviving object moves from generation 0 to 1 to 2 (checked via gc.get_objects).
import gc

gc.disable()
gc.collect()


class Node:
    __slots__ = ("next",)


def where(obj):
    return [any(o is obj for o in gc.get_objects(g)) for g in range(3)]


n = Node()
print("new object:", where(n))
gc.collect(0)
print("after collect(0):", where(n))
gc.collect(0)
print("another collect(0) leaves it:", where(n))
gc.collect(1)
print("after collect(1):", where(n))
gc.collect()
print("after full collect:", where(n))
m = Node()
gc.collect(1)
print("collect(1) moves a young object to generation 2:", where(m))
k = Node()
gc.collect()
print("full collect moves a young object to generation 2:", where(k))
print("in get_objects():", any(o is k for o in gc.get_objects()))
atom = "an untracked str"
print("untracked objects never appear:", any(o is atom for o in gc.get_objects()))
try:
    gc.get_objects(3)
except ValueError as e:
    print("ValueError:", e)
before = gc.get_count()
batch = [Node() for _ in range(30)]
after = gc.get_count()
print("30 allocations count:", after[0] - before[0] >= 30)
del batch
print("count drops on deallocation:", gc.get_count()[0] < after[0])
