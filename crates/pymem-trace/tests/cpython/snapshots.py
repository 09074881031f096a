"""CPython's tracemalloc on the synthetic snapshots of Lib/test/test_tracemalloc.py
(create_snapshots). tests/snapshot.rs builds the same snapshots and compares its output
with this script's, recorded in snapshots.out by CPython 3.13.0:

    PYENV_VERSION=3.13.0 python3.13 snapshots.py > snapshots.out
"""
import tracemalloc

raw1 = [
    (0, 10, (('a.py', 2), ('b.py', 4)), 3),
    (0, 10, (('a.py', 2), ('b.py', 4)), 3),
    (0, 10, (('a.py', 2), ('b.py', 4)), 3),
    (1, 2, (('a.py', 5), ('b.py', 4)), 3),
    (2, 66, (('b.py', 1),), 1),
    (3, 7, (('<unknown>', 0),), 1),
]
raw2 = [
    (0, 10, (('a.py', 2), ('b.py', 4)), 3),
    (0, 10, (('a.py', 2), ('b.py', 4)), 3),
    (0, 10, (('a.py', 2), ('b.py', 4)), 3),
    (2, 2, (('a.py', 5), ('b.py', 4)), 3),
    (2, 5000, (('a.py', 5), ('b.py', 4)), 3),
    (4, 400, (('c.py', 578),), 1),
]
s1 = tracemalloc.Snapshot(raw1, 2)
s2 = tracemalloc.Snapshot(raw2, 2)


def show(label, items):
    print(f"{label}: {len(items)}")
    for item in items:
        print(f"  {item}")


for key in ("lineno", "filename", "traceback"):
    show(f"statistics {key}", s1.statistics(key))
    show(f"compare_to {key}", s2.compare_to(s1, key))
for key in ("lineno", "filename"):
    show(f"statistics {key} cumulative", s1.statistics(key, cumulative=True))
    show(f"compare_to {key} cumulative", s2.compare_to(s1, key, cumulative=True))

F, D = tracemalloc.Filter, tracemalloc.DomainFilter
filters = {
    "exclude b.py": [F(False, "b.py")],
    "include a.py line 5": [F(True, "a.py", 5)],
    "include b.py all_frames": [F(True, "b.py", all_frames=True)],
    "include *.py domain 2": [F(True, "*.py", domain=2)],
    "exclude *.py domain 0": [F(False, "*.py", domain=0)],
    "include domain 3": [D(True, 3)],
    "exclude domain 0": [D(False, 0)],
    "include a.py, exclude line 5": [F(True, "a.py"), F(False, "a.py", 5)],
    "include <unknown>": [F(True, "<unknown>")],
    "none": [],
}
for label, fs in filters.items():
    show(f"filter {label}", s1.filter_traces(fs).traces)

tb = s1.traces[0].traceback
print(f"str traceback: {tb}")
print(f"repr traceback: {tb!r}")
print(f"repr frame: {tb[0]!r}")
print(f"repr trace: {s1.traces[0]!r}")
print(f"repr empty: {tracemalloc.Traceback(())!r}")
for limit, recent in ((None, False), (1, False), (-1, False), (None, True)):
    print(f"format {limit} {recent}: {tb.format(limit, recent)}")
for bad in ("spam",):
    try:
        s1.statistics(bad)
    except ValueError as e:
        print(f"error key: {e}")
try:
    s1.statistics("traceback", cumulative=True)
except ValueError as e:
    print(f"error cumulative: {e}")
for n in (0, 65536):
    try:
        tracemalloc.start(n)
    except ValueError as e:
        print(f"error start {n}: {e}")
tracemalloc.stop()
try:
    tracemalloc.take_snapshot()
except RuntimeError as e:
    print(f"error snapshot: {e}")
