# gc.freeze()/unfreeze()/get_freeze_count(): frozen cyclic garbage survives until unfrozen.
import gc
import weakref

gc.disable()
gc.collect()
print("initial freeze count:", gc.get_freeze_count())


class Node:
    pass


n = Node()
n.me = n
w = weakref.ref(n)
gc.freeze()
frozen = gc.get_freeze_count()
print("frozen something:", frozen > 0)
del n
print("collect while frozen:", gc.collect(), "alive:", w() is not None)
m = Node()
m.me = m
del m
print("new garbage is still collected:", gc.collect())
print("freeze count unchanged:", gc.get_freeze_count() == frozen)
gc.unfreeze()
print("after unfreeze:", gc.get_freeze_count())
print("collect after unfreeze:", gc.collect(), "alive:", w() is not None)
gc.freeze()
gc.freeze()
print("freeze twice, still positive:", gc.get_freeze_count() > 0)
gc.unfreeze()
print("unfreeze:", gc.get_freeze_count())
gc.unfreeze()
print("unfreeze again:", gc.get_freeze_count())
