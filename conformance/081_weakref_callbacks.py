# weakref callbacks: called with the dead ref when the referent dies; newest registered runs first.
import weakref

log = []


class Obj:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        log.append("__del__ " + self.name)


o = Obj("single")
r = weakref.ref(o, lambda ref: log.append(("callback", ref is r, ref())))
del o
print(log)
log.clear()
o = Obj("many")
refs = [weakref.ref(o, lambda ref, i=i: log.append(f"cb{i}")) for i in range(4)]
del o
print("order for one object:", log)
log.clear()
objs = [Obj(f"o{i}") for i in range(3)]
holders = [weakref.ref(x, lambda ref, n=x.name: log.append("cb " + n)) for x in objs]
del objs
print("list of objects dies:", log)
log.clear()
p = Obj("p")
rp = weakref.ref(p, lambda ref: log.append("callback p"))
del rp
del p
print("callback of a dead weakref never runs:", log)
log.clear()


def chained(ref):
    log.append("first callback")
    del second_holder[:]


second = Obj("second")
first = Obj("first")
second_holder = [weakref.ref(second, lambda ref: log.append("second callback"))]
fr = weakref.ref(first, chained)
del first
del second
print("callback dropped a later weakref first:", log)
log.clear()
q = Obj("q")
rq = weakref.ref(q, lambda ref: log.append("callback q"))
print("callback attribute:", rq.__callback__ is not None, weakref.ref(q).__callback__)
q = None
print(log)
log.clear()
x = Obj("x")
keep = weakref.ref(x, lambda ref: log.append("x callback sees other alive: " + str(other() is not None)))
y = Obj("y")
other = weakref.ref(y)
del x
del y
print(log)
