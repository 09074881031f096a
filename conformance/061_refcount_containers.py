# sys.getrefcount as an object is stored in and removed from lists, dicts, sets and tuples.
import sys


class Thing:
    pass


t = Thing()
print("start:", sys.getrefcount(t))
lst = [t]
print("in list:", sys.getrefcount(t))
lst.append(t)
lst.extend([t, t])
print("four times in list:", sys.getrefcount(t))
lst.pop()
print("after pop:", sys.getrefcount(t))
lst.remove(t)
print("after remove:", sys.getrefcount(t))
del lst[0]
print("after del item:", sys.getrefcount(t))
lst.clear()
print("after clear:", sys.getrefcount(t))
d = {"k": t}
print("dict value:", sys.getrefcount(t))
d[t] = t
print("dict key and value:", sys.getrefcount(t))
del d[t]
print("key removed:", sys.getrefcount(t))
d.pop("k")
print("value popped:", sys.getrefcount(t))
s = {t}
print("in set:", sys.getrefcount(t))
s.add(t)
print("added twice to set:", sys.getrefcount(t))
s.discard(t)
print("discarded:", sys.getrefcount(t))
tup = (t, [t], {"x": t})
print("tuple, nested list and dict:", sys.getrefcount(t))
tup[1].clear()
print("nested list cleared:", sys.getrefcount(t))
del tup
print("tuple freed:", sys.getrefcount(t))
copies = [t] * 10
print("list repetition:", sys.getrefcount(t))
copies[2:8] = []
print("slice deleted:", sys.getrefcount(t))
copies = None
print("list dropped:", sys.getrefcount(t))
m = {i: t for i in range(5)}
print("dict comprehension:", sys.getrefcount(t))
m.clear()
print("dict cleared:", sys.getrefcount(t))
