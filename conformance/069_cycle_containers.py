# Cycles through dicts, lists, tuples and instance attributes, and what gc.collect() counts.
import gc
import weakref

gc.disable()
gc.collect()


class Obj:
    pass


o = Obj()
o.registry = {"owner": o}
w = weakref.ref(o)
del o
print("instance <-> dict:", gc.collect(), w() is None)
o = Obj()
o.children = [o, o, o]
del o
print("instance <-> list:", gc.collect())
a, b = [], []
a.append(b)
b.append(a)
del a, b
print("list <-> list:", gc.collect())
d1, d2 = {}, {}
d1["other"] = d2
d2["other"] = d1
del d1, d2
print("dict <-> dict:", gc.collect())
lst = []
t = (lst,)
lst.append(t)
del lst, t
print("list <-> tuple:", gc.collect())
root = {"items": []}
for i in range(5):
    root["items"].append({"parent": root, "i": i})
del root
print("tree with parent links:", gc.collect())
keep = []
garbage = [keep]
garbage.append(garbage)
del garbage
print("cycle holding a live list:", gc.collect(), keep)
o = Obj()
o.a = [o]
o.b = {"o": o}
o.c = o
del o
print("instance with three back references:", gc.collect())
outer = [[[]]]
outer[0][0].append(outer)
del outer
print("three nested lists:", gc.collect())
s = Obj()
s.items = set()
s.items.add((s,))
del s
print("instance -> set -> tuple -> instance:", gc.collect())
