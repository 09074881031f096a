# weakref.finalize: alive, runs once (on death or when called), detach, peek, atexit flag.
import gc
import weakref

log = []


class Resource:
    def __init__(self, name):
        self.name = name


def cleanup(name, *, reason="gc"):
    log.append(f"cleanup {name} ({reason})")
    return "cleanup result"


r = Resource("r1")
f = weakref.finalize(r, cleanup, "r1")
print("alive:", f.alive, "atexit:", f.atexit, "log:", log)
del r
print("after del:", f.alive, log)
print("calling a dead finalizer:", f())
r = Resource("r2")
f = weakref.finalize(r, cleanup, "r2", reason="explicit")
print("called explicitly:", f(), f.alive, log[-1])
print("second call returns None:", f(), len(log))
del r
print("no cleanup on later death:", len(log))
r = Resource("r3")
f = weakref.finalize(r, cleanup, "r3")
f.atexit = False
print("atexit now:", f.atexit)
obj, func, args, kwargs = f.peek()
print("peek:", obj is r, func is cleanup, args, kwargs)
print("detach:", f.detach()[2], f.alive, f.peek(), f.detach())
del r
print("detached finalizer did not run:", log[-1])
c = Resource("cyc")
c.me = c
fc = weakref.finalize(c, cleanup, "cyc", reason="cycle")
del c
print("cycle before collect:", fc.alive)
gc.collect()
print("cycle after collect:", fc.alive, log[-1])
order = []
x = Resource("x")
weakref.finalize(x, order.append, "first registered")
weakref.finalize(x, order.append, "second registered")
del x
print("order:", order)
try:
    weakref.finalize(5, cleanup, "int")
except TypeError as e:
    print("TypeError:", e)
y = Resource("y")
fy = weakref.finalize(y, print, "finalizer of y ran at exit")
fz = weakref.finalize(y, print, "never printed: atexit is False")
fz.atexit = False
print("alive at the end of the program:", fy.alive, fz.alive)
