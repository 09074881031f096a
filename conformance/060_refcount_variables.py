# sys.getrefcount of a fresh list as module variables and local variables bind and unbind it.
import sys

x = []
print("fresh global:", sys.getrefcount(x))
y = x
print("one alias:", sys.getrefcount(x))
z = y
print("two aliases:", sys.getrefcount(x))
del y
print("after del y:", sys.getrefcount(x))
z = None
print("after rebinding z:", sys.getrefcount(x))
a = b = c = x
print("chained assignment:", sys.getrefcount(x))
del a, b, c
print("after del a, b, c:", sys.getrefcount(x))


def local_refs():
    obj = object()
    print("fresh local:", sys.getrefcount(obj))
    alias = obj
    print("local alias:", sys.getrefcount(obj))
    del alias
    print("after del alias:", sys.getrefcount(obj))
    return obj


r = local_refs()
print("returned and bound:", sys.getrefcount(r))
print("temporary:", sys.getrefcount([1, 2]))
print("literal tuple of list:", sys.getrefcount((x,)) , sys.getrefcount(x))
t = (x, x, x)
print("in a tuple three times:", sys.getrefcount(x))
del t
print("tuple gone:", sys.getrefcount(x))
for item in [x]:
    print("loop variable plus temporary list:", sys.getrefcount(x))
print("after loop (item still bound):", sys.getrefcount(x))
del item
print("after del item:", sys.getrefcount(x))
