# tracemalloc compare_to: the sign of size_diff for grown and freed allocations, traced memory booleans.
import tracemalloc

tracemalloc.start()
keep = []
first = tracemalloc.take_snapshot()
current0, peak0 = tracemalloc.get_traced_memory()
for i in range(1000):
    keep.append("item %d" % i * 10)
second = tracemalloc.take_snapshot()
current1, peak1 = tracemalloc.get_traced_memory()
print("current grew:", current1 > current0 + 50_000, "peak >= current:", peak1 >= current1)
diff = second.compare_to(first, "lineno")
top = diff[0]
print("top diff line:", top.traceback[0].filename.split("/")[-1], top.traceback[0].lineno)
print("size_diff positive:", top.size_diff > 0, "count_diff positive:", top.count_diff > 0)
print("diff type:", type(top).__name__)
keep.clear()
third = tracemalloc.take_snapshot()
diff2 = third.compare_to(second, "lineno")
line9 = [d for d in diff2 if d.traceback[0].filename.endswith("092_tracemalloc_compare.py") and d.traceback[0].lineno == 9]
print("freed line has negative size_diff:", len(line9) == 1 and line9[0].size_diff < 0)
current2, peak2 = tracemalloc.get_traced_memory()
print("current dropped:", current2 < current1 - 50_000, "peak kept:", peak2 >= peak1)
tracemalloc.reset_peak()
current3, peak3 = tracemalloc.get_traced_memory()
print("peak reset near current:", peak3 < peak1, peak3 >= current3)
tracemalloc.clear_traces()
print("after clear_traces small:", tracemalloc.get_traced_memory()[0] < 10_000)
tracemalloc.stop()
print("after stop:", tracemalloc.get_traced_memory(), tracemalloc.is_tracing())
