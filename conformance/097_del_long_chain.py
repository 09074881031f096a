# Freeing a 200,000-node linked list and deeply nested containers by refcount does not overflow the stack.
import gc
import weakref

gc.disable()
gc.collect()


class Node:
    __slots__ = ("next", "__weakref__")
    freed = 0

    def __del__(self):
        Node.freed += 1


head = None
for _ in range(200_000):
    n = Node()
    n.next = head
    head = n
del n
tail_ref = weakref.ref(head)
print("built; freed so far:", Node.freed)
head = None
print("after dropping the head:", Node.freed, tail_ref() is None)
nested = []
for _ in range(100_000):
    nested = [nested]
nested = None
print("nested lists freed")
d = {}
for _ in range(100_000):
    d = {"inner": d}
d = None
print("nested dicts freed")
t = ()
for _ in range(100_000):
    t = (t,)
t = None
print("nested tuples freed")


class Plain:
    pass


p = None
for _ in range(100_000):
    q = Plain()
    q.child = p
    p = q
del q
p = None
print("instance chain freed")
print("collect finds nothing:", gc.collect())
