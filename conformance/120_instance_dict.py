# An instance's __dict__ is live and shared: writes either way are seen, refcounts and referents as CPython 3.13's.
import gc, sys
class C: pass
c = C(); c.a = [1]; c.b = 2
print(len(gc.get_referents(c)))
d = c.__dict__
print(len(gc.get_referents(c)), [type(x).__name__ for x in gc.get_referents(c)])
print(sys.getrefcount(d), d is c.__dict__, vars(c) is d, gc.is_tracked(d))
c.x = 5; print(d)
d['y'] = 6; print(c.y)
del d['a']; print(hasattr(c, 'a'))
del d
print(sys.getrefcount(c.__dict__))
new = {'z': 1}
c.__dict__ = new
print(c.z, vars(c), hasattr(c, 'b'), c.__dict__ is new, sys.getrefcount(new))
try:
    c.__dict__ = 5
except TypeError as e:
    print("TypeError:", e)
del c.__dict__
print(vars(c), hasattr(c, 'z'), sys.getrefcount(new))
c.w = 1
print(c.__dict__, new)
class Node:
    def __del__(self): print("del", self.name)
n = Node(); n.name = "n"
n.__dict__["me"] = n
del n
# (pymem counts the dict object among the collected, CPython 3.13 only the instance,
# whose inline values it visits: docs/python.md.)
gc.collect()
print("collected")
m = Node(); m.name = "m"
m.__dict__.clear()
m.name = "m2"
del m
