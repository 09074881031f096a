# At shutdown with DEBUG_SAVEALL still set, CPython reports nothing about gc.garbage, even with
# DEBUG_UNCOLLECTABLE; with gc.garbage empty it reports nothing either.
# Ported from crates/pymem/tests/cpython/shutdown.py, case "saveall_uncollectable" (and "empty").
import gc


class Simple:
    __slots__ = ("ref", "__weakref__")

    def __repr__(self):
        return "Simple"


gc.disable()
gc.set_debug(gc.DEBUG_SAVEALL)
print("empty garbage:", gc.garbage)
for _ in range(2):
    x = Simple()
    x.ref = x
    del x
print("collected:", gc.collect(), "garbage:", len(gc.garbage))
gc.set_debug(gc.DEBUG_SAVEALL | gc.DEBUG_UNCOLLECTABLE)
print("exiting with SAVEALL and UNCOLLECTABLE set")
