# weakref.WeakSet: membership without ownership; members vanish when they die.
import gc
import weakref


class Listener:
    def __init__(self, name):
        self.name = name


listeners = weakref.WeakSet()
a, b, c = Listener("a"), Listener("b"), Listener("c")
listeners.add(a)
listeners.add(b)
listeners.add(c)
listeners.add(a)
print("len:", len(listeners), "a in:", a in listeners, "names:", sorted(x.name for x in listeners))
del b
print("after del b:", len(listeners), sorted(x.name for x in listeners))
listeners.discard(c)
print("after discard c:", len(listeners), c in listeners)
listeners.add(c)
listeners.remove(c)
try:
    listeners.remove(c)
except KeyError:
    print("KeyError on second remove")
tmp = [Listener(str(i)) for i in range(5)]
listeners.update(tmp)
print("after update:", len(listeners))
del tmp[1:4]
print("after deleting three:", len(listeners), sorted(x.name for x in listeners))
tmp = None
print("only a left:", [x.name for x in listeners])
other = weakref.WeakSet([a])
print("equal:", listeners == other, "subset:", other <= listeners, "copy len:", len(listeners.copy()))
cyc = Listener("cyc")
cyc.me = cyc
listeners.add(cyc)
del cyc
print("cycle member present:", len(listeners))
gc.collect()
print("after collect:", len(listeners))
try:
    listeners.add(5)
except TypeError as e:
    print("TypeError:", e)
print("pop:", listeners.pop().name, "empty:", len(listeners))
