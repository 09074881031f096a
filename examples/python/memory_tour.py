# A tour of Python's memory management, runnable: what CPython does with your objects, and
# what pymem does the same way. Run it with `pymem run examples/python/memory_tour.py` and
# with `python3.13` on the same file: the output is the same, except the lines marked
# "@vary", which show figures (addresses, byte counts) that differ by nature.
import gc
import sys
import tracemalloc
import weakref


def section(title):
    print()
    print("==", title)


section("1. Reference counting: every object counts its references")
data = [1, 2, 3]
print("a new list, one name:", sys.getrefcount(data) - 1, "reference")
alias = data
print("a second name:", sys.getrefcount(data) - 1, "references")
box = {"payload": data}
print("stored in a dict too:", sys.getrefcount(data) - 1, "references")
del alias
del box
print("after del of the alias and the dict:", sys.getrefcount(data) - 1, "reference")


class Noisy:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print("  __del__ of", self.name)


print("dropping the last reference frees the object at once:")
n = Noisy("n")
del n
print("  (that line came before this one)")

section("2. Cycles: reference counting alone cannot free them")
gc.collect()
gc.disable()


class Node:
    def __init__(self, name):
        self.name = name
        self.other = None


a = Node("a")
b = Node("b")
a.other = b
b.other = a
watch = weakref.ref(a)
del a, b
print("after del, the cycle is still alive:", watch() is not None)
print("gc.collect() finds it and returns the number of objects freed:", gc.collect())
print("now the weak reference is dead:", watch() is None)

section("3. Generations and thresholds")
gc.enable()
print("thresholds (gen0, gen1, gen2):", gc.get_threshold())
gc.collect()
print("counts right after a full collection:", gc.get_count())
print("is a list tracked?", gc.is_tracked([]))
print("is an int tracked?", gc.is_tracked(42))
print("is a str tracked?", gc.is_tracked("text"))
before = gc.get_stats()[0]["collections"]
junk = []
for i in range(3000):
    junk.append([i])
after = gc.get_stats()[0]["collections"]
print("allocating 3000 lists triggered young collections:", after > before)
del junk

section("4. Weak references: a cache that does not keep objects alive")


class Image:
    def __init__(self, name):
        self.name = name


cache = weakref.WeakValueDictionary()
img = Image("photo.png")
cache["photo"] = img
print("in the cache while someone uses it:", "photo" in cache)
del img
print("gone from the cache once nobody does:", "photo" in cache)
log = []
target = Image("t")
r = weakref.ref(target, lambda ref: log.append("callback ran"))
del target
print("a weakref callback runs when its object dies:", log)

section("5. Cleanup: __del__, finalizers and with")


class Resource:
    def __init__(self, name):
        self.name = name

    def __enter__(self):
        print("  open", self.name)
        return self

    def __exit__(self, kind, value, tb):
        print("  close", self.name)
        return False


with Resource("file") as res:
    print("  using", res.name)
obj = Image("temp")
weakref.finalize(obj, print, "  finalize: temp is gone")
del obj
print("finalizers run once the object is collected")

section("6. Generators instead of lists")
tracemalloc.start()
squares = [i * i for i in range(20000)]
peak_list = tracemalloc.get_traced_memory()[1]
del squares
tracemalloc.reset_peak()
total = sum(i * i for i in range(20000))
peak_gen = tracemalloc.get_traced_memory()[1]
print("sum:", total)
print("the list's peak is over ten times the generator's:", peak_list > 10 * peak_gen)
print("@vary peak with a list, bytes:", peak_list)
print("@vary peak with a generator, bytes:", peak_gen)

section("7. tracemalloc: where the memory went")
snap1 = tracemalloc.take_snapshot()
table = [str(i) * 10 for i in range(5000)]
snap2 = tracemalloc.take_snapshot()
top = snap2.compare_to(snap1, "lineno")[0]
frame = top.traceback[0]
print("the biggest growth is at line", frame.lineno, "of", frame.filename.rsplit("/", 1)[-1])
print("it grew by more than 100 KiB:", top.size_diff > 100 * 1024)
print("@vary top line:", top)
tracemalloc.stop()
print()
print("end of the tour")
