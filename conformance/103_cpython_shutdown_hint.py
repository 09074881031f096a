# At shutdown, gc.garbage is not empty and no debug flag is set: the ResourceWarning (with its
# DEBUG_UNCOLLECTABLE hint) is ignored by the default warning filters, so stderr stays empty.
# Ported from crates/pymem/tests/cpython/shutdown.py, case "hint", under the default filters (no -W).
import gc


class Simple:
    __slots__ = ("ref", "__weakref__")

    def __repr__(self):
        return "Simple"


gc.disable()
gc.set_debug(gc.DEBUG_SAVEALL)
for _ in range(2):
    x = Simple()
    x.ref = x
    del x
print("collected:", gc.collect(), "garbage:", len(gc.garbage))
gc.set_debug(0)
print("exiting with two objects in gc.garbage and no debug flags")
