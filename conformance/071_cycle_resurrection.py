# Resurrection: __del__ stores self in a global; the object survives and is never finalized again.
import gc
import weakref

gc.disable()
gc.collect()
saved = []
events = []


class Phoenix:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        events.append("del " + self.name)
        saved.append(self)


p = Phoenix("refcount")
del p
print("resurrected by refcount death:", events, [s.name for s in saved])
events.clear()
again = saved.pop()
del again
print("second death, no second __del__:", events, saved)
events.clear()
c = Phoenix("cyclic")
c.me = c
w = weakref.ref(c)
del c
print("collected:", gc.collect())
print("events:", events, "saved:", [s.name for s in saved], "weakref alive:", w() is not None)
events.clear()
print("collect again while resurrected:", gc.collect(), events)
saved.clear()
print("released, collect:", gc.collect(), "events:", events, "weakref dead:", w() is None)


class Flip:
    count = 0

    def __del__(self):
        Flip.count += 1
        if Flip.count == 1:
            saved.append(self)


f = Flip()
f.me = f
del f
print("flip first collect:", gc.collect(), Flip.count, len(saved))
saved.clear()
print("flip second collect:", gc.collect(), Flip.count, len(saved))
q1, q2 = Phoenix("q1"), Phoenix("q2")
q1.other, q2.other = q2, q1
del q1, q2
print("two-cycle with resurrection:", gc.collect(), sorted(events), sorted(s.name for s in saved))
events.clear()
saved.clear()
print("after release:", gc.collect(), events)
