# tracemalloc peak memory: a list of 100,000 strings versus a generator over the same values.
import tracemalloc

N = 100_000


def with_list():
    values = [str(i) * 3 for i in range(N)]
    return sum(len(v) for v in values)


def with_generator():
    values = (str(i) * 3 for i in range(N))
    return sum(len(v) for v in values)


tracemalloc.start()
tracemalloc.reset_peak()
total_list = with_list()
_, peak_list = tracemalloc.get_traced_memory()
tracemalloc.reset_peak()
current_before, _ = tracemalloc.get_traced_memory()
total_gen = with_generator()
_, peak_gen = tracemalloc.get_traced_memory()
tracemalloc.stop()
print("same result:", total_list == total_gen, total_list)
print("list peak is large:", peak_list > 2_000_000)
print("generator peak is small:", peak_gen - current_before < 100_000)
print("peak_list > peak_gen * 10:", peak_list > peak_gen * 10)
