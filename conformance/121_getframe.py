# sys._getframe: frame objects of running frames, f_back links, their locals kept after return, and cycles through them.
import gc
import sys
import weakref


def inner():
    return sys._getframe(), sys._getframe(1)


def outer():
    x = 41
    me, caller = inner()
    return me, caller, sys._getframe()


me, caller, own = outer()
print(me.f_code.co_name, caller.f_code.co_name, caller is own, me.f_back is own)
print(own.f_back.f_code.co_name, own.f_back.f_back)
print(sorted(own.f_locals), own.f_locals["x"])
print(sys._getframe().f_code.co_name, sys._getframe().f_back)
try:
    sys._getframe(50)
except ValueError as e:
    print("ValueError:", e)
print(sys._getframe(-1) is sys._getframe())
del me, caller, own
gc.collect()


class Box:
    pass


def keep_frame():
    box = Box()
    box.frame = sys._getframe()
    return weakref.ref(box)


gc.disable()
w = keep_frame()
print("alive through its frame:", w() is not None)
print("collected something:", gc.collect() > 0, "box freed:", w() is None)
