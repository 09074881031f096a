# gc.set_debug(gc.DEBUG_SAVEALL): unreachable objects go to gc.garbage instead of being freed.
import gc
import weakref

gc.disable()
gc.collect()
print("debug flags:", gc.get_debug(), "garbage:", gc.garbage)
gc.set_debug(gc.DEBUG_SAVEALL)
print("debug set:", gc.get_debug() == gc.DEBUG_SAVEALL)


class Node:
    __slots__ = ("next", "__weakref__")


a, b = Node(), Node()
a.next, b.next = b, a
w = weakref.ref(a)
del a, b
print("collect:", gc.collect())
print("garbage length:", len(gc.garbage), "types:", sorted(type(o).__name__ for o in gc.garbage))
print("weakref cleared although the object is saved:", w() is None)
lst = []
lst.append(lst)
del lst
print("collect list cycle:", gc.collect(), "garbage length:", len(gc.garbage))
gc.set_debug(0)
print("garbage kept after clearing the flag:", len(gc.garbage))
print("collect with garbage referenced:", gc.collect())
gc.garbage.clear()
print("collect after clearing gc.garbage:", gc.collect(), "weakref dead:", w() is None)
print("flags:", gc.DEBUG_STATS, gc.DEBUG_COLLECTABLE, gc.DEBUG_UNCOLLECTABLE, gc.DEBUG_SAVEALL, gc.DEBUG_LEAK)
x = Node()
x.next = x
del x
print("no SAVEALL, collect:", gc.collect(), "garbage:", gc.garbage)
