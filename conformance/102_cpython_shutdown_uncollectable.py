# At shutdown, gc.garbage is not empty and DEBUG_UNCOLLECTABLE is set: CPython prints repr(gc.garbage) on stderr.
# Ported from crates/pymem/tests/cpython/shutdown.py, case "default_filters": that script runs each case
# in a child interpreter (subprocess, re and -W are unavailable here), so each case is its own program.
# Simple has a __repr__ so that the stderr line holds no address. The ResourceWarning that precedes the
# line is ignored by CPython's default warning filters.
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
gc.set_debug(gc.DEBUG_UNCOLLECTABLE)
print("exiting with two objects in gc.garbage")
