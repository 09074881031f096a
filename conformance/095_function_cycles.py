# Cycles made by functions, closures, bound methods and frames: freed by gc.collect() (checked via weakrefs).
import gc
import sys
import weakref

gc.disable()
gc.collect()


class Box:
    pass


def recursive_closure():
    b = Box()

    def inner():
        return inner, b
    return weakref.ref(b)


w = recursive_closure()
print("closure referring to itself keeps box alive:", w() is not None)
gc.collect()
print("after collect:", w() is None)
b = Box()
b.bound = b.__init__
w = weakref.ref(b)
del b
print("instance holding its own bound method:", w() is not None)
gc.collect()
print("after collect:", w() is None)
b = Box()
b.callback = lambda: b
w = weakref.ref(b)
del b
print("lambda reading a global does not make a cycle:", w() is None)


def make_pair():
    obj = Box()
    obj.f = lambda: obj
    return weakref.ref(obj)


w = make_pair()
print("lambda capturing its owner:", w() is not None)
gc.collect()
print("after collect:", w() is None)


def frame_cycle():
    obj = Box()
    obj.frame = sys._getframe()
    return weakref.ref(obj)


w = frame_cycle()
print("object holding its frame:", w() is not None)
gc.collect()
print("after collect:", w() is None)


def exception_cycle():
    obj = Box()
    try:
        raise ValueError("x")
    except ValueError as e:
        obj.exc = e
    return weakref.ref(obj)


w = exception_cycle()
print("object holding an exception whose traceback holds the frame:", w() is not None)
gc.collect()
print("after collect:", w() is None)
