# gc.get_count()[0] with free lists: a block kept on a list is not freed, one reused from a list is not allocated.
import gc


def count():
    return gc.get_count()[0]


# Lines are printed at the end: the first print allocates objects of its own in CPython.
out = []
gc.collect()
gc.disable()

# The tuple gc.get_count() returns is the one object between two reads: the first is
# allocated (gc.collect emptied the free lists), later ones reuse its block.
a = count()
b = count()
c = count()
out.append(("get_count tuple", b - a, c - b))

# 101 lists allocated; 80 of the 101 dead blocks stay on the list free list (capacity 80),
# so only 21 are freed; 51 new lists then all come from the free list.
c0 = count()
x = [[i] for i in range(100)]
c1 = count()
del x
c2 = count()
y = [[i] for i in range(50)]
c3 = count()
out.append(("lists", c1 - c0, c2 - c0, c3 - c0))
del y
out.append(("listed again", count() - c3))

# 200 two-tuples and a dict; dead tuples wait on the length-2 tuple list (capacity 2000)
# and the dict on the dict list, so nothing is counted as freed.
c3 = count()
d = {}
for i in range(200):
    d[i] = (i, i)
c4 = count()
del d
c5 = count()
out.append(("tuples and dict", c4 - c3, c5 - c3))
e = {i: (i, -i) for i in range(150)}
out.append(("reused tuples and dict", count() - c5))
del e

# Floats are not tracked: with or without their free list, the count does not move.
c6 = count()
f = [i * 0.5 for i in range(300)]
del f
out.append(("floats", count() - c6))

# A deep chain goes through the trashcan: 80 blocks stay listed, the rest are freed.
c7 = count()
chain = []
for i in range(5000):
    chain = [chain]
c8 = count()
del chain
out.append(("chain", c8 - c7, count() - c7))

# A young collection keeps the free lists; a full one empties them (the blocks freed
# count down to 0), so lists are allocated afresh after it.
gc.collect(0)
z = [[i] for i in range(30)]
out.append(("after collect(0), reused", count()))
del z
gc.collect()
z = [[i] for i in range(30)]
out.append(("after collect(), allocated", count()))
del z

# Reused blocks start no automatic collection: 70 list blocks are listed, the threshold
# is 100, and 60 lists from the free list leave the count where it was.
gc.set_threshold(100)
gc.collect()
keep = [[i] for i in range(69)]
del keep
listed = count()
gc.enable()
keep = [[i] for i in range(60)]
reusing = count()
more = [[i] for i in range(60)]
allocating = count()
gc.disable()
del keep, more
out.append(("listed", listed, "reusing", reusing, "after allocating", allocating))

# A full list free list refuses blocks: those are freed and counted.
gc.collect()
w = [[i] for i in range(79)]
del w
c9 = count()
v = [[i] for i in range(200)]
c10 = count()
del v
out.append(("overflow", c9, c10 - c9, count() - c9))

for line in out:
    print(*line)
