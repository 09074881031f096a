# sys.getrefcount through attributes, function arguments, closures, bound methods and defaults.
import sys


class Holder:
    def __init__(self, item=None):
        self.item = item

    def method(self):
        return sys.getrefcount(self)


obj = []
print("start:", sys.getrefcount(obj))
h = Holder(obj)
print("attribute:", sys.getrefcount(obj))
h.other = obj
print("two attributes:", sys.getrefcount(obj))
del h.other
print("attribute deleted:", sys.getrefcount(obj))
h.item = None
print("attribute rebound:", sys.getrefcount(obj))


def one_arg(a):
    return sys.getrefcount(a)


def two_args(a, b):
    return sys.getrefcount(a)


def star_args(*args):
    return sys.getrefcount(args[0])


print("one argument:", one_arg(obj))
print("same object twice:", two_args(obj, obj))
print("through *args:", star_args(obj))
print("after calls:", sys.getrefcount(obj))


def make_closure(v):
    def inner():
        return v
    return inner


f = make_closure(obj)
print("captured in closure:", sys.getrefcount(obj))
del f
print("closure dropped:", sys.getrefcount(obj))


def with_default(x=obj):
    return x


print("bound as default:", sys.getrefcount(obj))
del with_default
print("function dropped:", sys.getrefcount(obj))
h2 = Holder()
print("instance start:", sys.getrefcount(h2))
m = h2.method
print("bound method holds self:", sys.getrefcount(h2))
print("inside method:", m())
del m
print("bound method dropped:", sys.getrefcount(h2))
lst = [h2.method for _ in range(3)]
print("three bound methods:", sys.getrefcount(h2))
del lst
print("final:", sys.getrefcount(h2), sys.getrefcount(obj))
