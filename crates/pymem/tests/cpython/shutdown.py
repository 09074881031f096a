"""What CPython prints at interpreter shutdown when gc.garbage is not empty
(`_PyGC_DumpShutdownStats`); record.sh stores the output in shutdown.out and
tests/all/teardown.rs checks pymem's thread teardown against it.

Shutdown happens once per process, so each case runs in a child interpreter, and its stderr
is printed here line by line (`case.N: line`, addresses masked). The line is a
ResourceWarning, which CPython's default warning filters ignore: the children run with
`-W default` (as `-X dev` does), except in the `default_filters` case.
"""
import re
import subprocess
import sys

CHILD = """
import gc
class Simple:
    __slots__ = ("ref", "__weakref__")
gc.disable()
gc.set_debug(gc.DEBUG_SAVEALL)
for _ in range({cycles}):
    x = Simple()
    x.ref = x
    del x
gc.collect()
gc.set_debug({at_exit})
"""

CASES = [
    # SAVEALL, collect two cycles, clear SAVEALL, exit: the warning with its hint.
    ("hint", ["-W", "default"], 2, "0"),
    # The same with DEBUG_UNCOLLECTABLE at exit: no hint, and repr(gc.garbage).
    ("uncollectable", ["-W", "default"], 2, "gc.DEBUG_UNCOLLECTABLE"),
    # One object: the count is not pluralised.
    ("one", ["-W", "default"], 1, "0"),
    # SAVEALL still set at exit: nothing.
    ("saveall", ["-W", "default"], 2, "gc.DEBUG_SAVEALL"),
    # SAVEALL and UNCOLLECTABLE at exit: nothing either.
    ("saveall_uncollectable", ["-W", "default"], 2,
     "gc.DEBUG_SAVEALL | gc.DEBUG_UNCOLLECTABLE"),
    # gc.garbage empty: nothing.
    ("empty", ["-W", "default"], 0, "gc.DEBUG_UNCOLLECTABLE"),
    # Default warning filters: the ResourceWarning is ignored, the repr is still printed.
    ("default_filters", [], 2, "gc.DEBUG_UNCOLLECTABLE"),
]

for name, flags, cycles, at_exit in CASES:
    code = CHILD.format(cycles=cycles, at_exit=at_exit)
    child = subprocess.run([sys.executable, *flags, "-c", code],
                           capture_output=True, text=True, check=True)
    lines = child.stderr.splitlines()
    print(f"{name}.lines: {len(lines)}")
    for i, line in enumerate(lines):
        print(f"{name}.{i}: {re.sub('0x[0-9a-f]+', '0x…', line)}")
