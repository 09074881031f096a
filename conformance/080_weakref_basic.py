# weakref.ref: dereference while alive, None after the referent dies, equality, no strong reference.
import sys
import weakref


class Target:
    def __init__(self, name):
        self.name = name


t = Target("t")
before = sys.getrefcount(t)
r = weakref.ref(t)
print("refcount unchanged by weakref:", sys.getrefcount(t) == before)
print("deref:", r().name, r() is t, type(r).__name__)
r2 = weakref.ref(t)
print("plain refs are shared:", r is r2, r == r2)
del t
print("after del:", r(), r2())
print("dead refs equal only if same object:", r == r2, r == weakref.ref(Target("x")))
a = Target("a")
b = Target("b")
ra, rb = weakref.ref(a), weakref.ref(b)
print("different live referents:", ra == rb, ra != rb)
container = [a]
del a
print("kept alive by a list:", ra().name)
container.clear()
print("list cleared:", ra())
for obj in [1, "s", (1, 2), [1], {"k": 1}, None]:
    try:
        weakref.ref(obj)
        print(type(obj).__name__, "weakrefable")
    except TypeError as e:
        print("TypeError:", e)


def func():
    pass


class K:
    pass


print("function:", weakref.ref(func)() is func, "class:", weakref.ref(K)() is K, "set:", type(weakref.ref({1})).__name__)
m = Target("m")
rm = weakref.ref(m)
m = Target("replacement")
print("rebinding kills the old object:", rm())
print("ref to a temporary is dead at once:", weakref.ref(Target("temp"))())
alive = Target("alive")
ra = weakref.ref(alive)
print("repr of live ref:", repr(ra).startswith("<weakref at 0x"), "; to 'Target' at 0x" in repr(ra))
print("repr of dead ref:", repr(r).startswith("<weakref at 0x"), repr(r).endswith("; dead>"))
