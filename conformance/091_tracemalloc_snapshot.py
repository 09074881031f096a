# tracemalloc snapshots: statistics('lineno') names the allocating line of a big buffer.
import tracemalloc

tracemalloc.start()
print("tracing:", tracemalloc.is_tracing())
big = bytearray(5_000_000)
snapshot = tracemalloc.take_snapshot()
stats = snapshot.statistics("lineno")
top = stats[0]
frame = top.traceback[0]
print("top entry:", frame.filename.split("/")[-1], frame.lineno)
print("size > 4 MB:", top.size > 4_000_000, "count >= 1:", top.count >= 1)
print("sorted by size:", all(a.size >= b.size for a, b in zip(stats, stats[1:])))
print("stat types:", type(snapshot).__name__, type(top).__name__)
by_file = snapshot.statistics("filename")
print("filename stats top:", by_file[0].traceback[0].filename.split("/")[-1], by_file[0].size > 4_000_000)


def make_lists():
    return [[0] * 1000 for _ in range(200)]


data = make_lists()
snapshot2 = tracemalloc.take_snapshot()
lines = {(s.traceback[0].filename.split("/")[-1], s.traceback[0].lineno) for s in snapshot2.statistics("lineno")[:5]}
print("list allocation line among the top five:", ("091_tracemalloc_snapshot.py", 20) in lines)
del big, data
snapshot3 = tracemalloc.take_snapshot()
mine = [s for s in snapshot3.statistics("lineno") if s.traceback[0].filename.endswith("091_tracemalloc_snapshot.py")]
print("big buffer line now small:", sum(s.size for s in mine if s.traceback[0].lineno == 6) < 100_000)
print("traceback limit:", tracemalloc.get_traceback_limit())
tracemalloc.stop()
print("tracing after stop:", tracemalloc.is_tracing())
try:
    tracemalloc.take_snapshot()
except RuntimeError as e:
    print("RuntimeError:", e)
