# memory_profiler: @profile's line table (lines, occurrences, line contents; the MiB columns vary) and memory_usage's shapes.
from memory_profiler import profile, memory_usage


@profile
def build(n):
    a = [0] * n
    b = [1] * (2 * n)
    for i in range(3):
        a.append(i)
    if n < 0:
        a = None
    del b
    return len(a)


print("@numbers vary")
print(build(200000))
print("@numbers same")
usage = memory_usage()
print(type(usage).__name__, len(usage), type(usage[0]).__name__, usage[0] > 0)
samples, value = memory_usage((sorted, ([3, 1, 2],), {}), retval=True)
print(type(samples).__name__, len(samples) >= 1, value)
print(type(memory_usage(-1, max_usage=True)).__name__)
