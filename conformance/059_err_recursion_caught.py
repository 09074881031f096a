# RecursionError caught (print type name only); the interpreter keeps working afterwards.
import sys

print(sys.getrecursionlimit())


def f():
    f()


try:
    f()
except RecursionError as e:
    print(type(e).__name__)


def g(n):
    return g(n + 1)


try:
    g(0)
except RecursionError as e:
    print(type(e).__name__, isinstance(e, RuntimeError))


def depth(n):
    return 0 if n == 0 else 1 + depth(n - 1)


print(depth(800))
print("still running")
