# Two-object and longer cycles: refcounting cannot free them; gc.collect() frees them all and counts them.
import gc
import weakref

gc.disable()
gc.collect()


class Node:
    def __init__(self, name):
        self.name = name
        self.next = None


a, b = Node("a"), Node("b")
a.next, b.next = b, a
wa, wb = weakref.ref(a), weakref.ref(b)
del a
print("a kept alive by b:", wa() is not None)
del b
print("both alive before collect:", wa() is not None, wb() is not None)
print("collected:", gc.collect())
print("both dead:", wa() is None, wb() is None)


def ring(n):
    nodes = [Node(str(i)) for i in range(n)]
    for i, node in enumerate(nodes):
        node.next = nodes[(i + 1) % n]
    return nodes[0]


for size in (3, 5, 50):
    r = ring(size)
    del r
    print(f"ring of {size}:", gc.collect())
head = ring(4)
print("ring still referenced:", gc.collect())
head.next.next = None
print("ring broken, tail freed by refcount:", gc.collect())
del head
print("after del head:", gc.collect())
x, y = Node("x"), Node("y")
x.next = y
y.next = x
x.next = None
del x, y
print("cycle broken by hand before del:", gc.collect())
p, q = Node("p"), Node("q")
p.next = [q]
q.next = [p]
del p, q
print("cycle through two lists:", gc.collect())
