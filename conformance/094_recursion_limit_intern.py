# sys.getrecursionlimit/setrecursionlimit with RecursionError, and sys.intern identity.
import sys

default = sys.getrecursionlimit()
print("default limit:", default)


def depth(n):
    return 0 if n == 0 else 1 + depth(n - 1)


print("depth 900 fine:", depth(900))
sys.setrecursionlimit(200)
print("new limit:", sys.getrecursionlimit())
try:
    depth(500)
except RecursionError as e:
    print("RecursionError at limit 200:", type(e).__name__)
print("depth 150 fine:", depth(150))
sys.setrecursionlimit(5000)
print("depth 3000 fine:", depth(3000))
sys.setrecursionlimit(default)
for bad in (0, -5):
    try:
        sys.setrecursionlimit(bad)
    except ValueError as e:
        print("ValueError:", e)
try:
    sys.setrecursionlimit("10")
except TypeError as e:
    print("TypeError:", e)


class Deep:
    def __repr__(self):
        return repr(self)


try:
    repr(Deep())
except RecursionError:
    print("RecursionError from __repr__")
nested = []
for _ in range(50):
    nested = [nested]
print("nested list repr length:", len(repr(nested)))
a = "".join(["inter", "ned", "-", "key"])
b = "".join(["interned", "-key"])
print("equal, not identical:", a == b, a is b)
ia, ib = sys.intern(a), sys.intern(b)
print("interned are identical:", ia is ib, ia == a)
print("intern returns the first:", sys.intern(a) is ia)
try:
    sys.intern(5)
except TypeError as e:
    print("TypeError:", e)
print("limit restored:", sys.getrecursionlimit() == default)
