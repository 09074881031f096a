# Weakrefs to objects in garbage cycles: cleared by gc.collect(); callbacks run; refs in the trash do not fire.
import gc
import weakref

gc.disable()
gc.collect()
log = []


class Node:
    def __init__(self, name):
        self.name = name
        self.other = None


a, b = Node("a"), Node("b")
a.other, b.other = b, a
ra = weakref.ref(a, lambda r: log.append("a died"))
rb = weakref.ref(b, lambda r: log.append("b died"))
del a, b
print("alive before collect:", ra() is not None, rb() is not None, log)
print("collected:", gc.collect())
print("after collect:", ra(), rb(), sorted(log))
log.clear()
c, d = Node("c"), Node("d")
c.other, d.other = d, c
c.ref_to_d = weakref.ref(d, lambda r: log.append("inner callback"))
outside = weakref.ref(c, lambda r: log.append("outside callback"))
del c, d
print("collected:", gc.collect(), "callbacks:", sorted(log))
log.clear()


class Fin(Node):
    def __del__(self):
        log.append("__del__ " + self.name + " sees weakref " + ("dead" if wf() is None else "alive"))


f = Fin("f")
f.other = f
wf = weakref.ref(f, lambda r: log.append("callback f"))
del f
print("collected:", gc.collect())
print("order:", log)
log.clear()
g = Fin("g")
wf = weakref.ref(g, lambda r: log.append("callback g"))
del g
print("refcount death order:", log)
