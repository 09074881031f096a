# Self-referencing objects survive `del` and are freed only by gc.collect(), which returns the count.
import gc
import weakref

gc.disable()
gc.collect()


class Node:
    pass


n = Node()
n.me = n
w = weakref.ref(n)
del n
print("alive after del:", w() is not None)
print("collected:", gc.collect())
print("alive after collect:", w() is not None)
lst = []
lst.append(lst)
del lst
print("self-containing list:", gc.collect())
d = {}
d["self"] = d
del d
print("self-containing dict:", gc.collect())
many = []
for i in range(10):
    x = Node()
    x.me = x
    many.append(weakref.ref(x))
del x
print("ten self cycles:", gc.collect(), sum(r() is None for r in many))
held = Node()
held.me = held
print("cycle still referenced:", gc.collect())
held = None
print("released:", gc.collect())
print("nothing left:", gc.collect())
t = Node()
t.pair = (t, 1)
del t
print("instance and tuple:", gc.collect())
