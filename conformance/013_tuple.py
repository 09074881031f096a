# tuple: creation, indexing, slicing, immutability, nesting, comparison, count/index, packing.
t = (1, 2, 3, 2, 1)
print(t, t[0], t[-1], t[1:3], t[::-1], len(t), t.count(2), t.index(3))
print((), (1,), tuple(), tuple([4, 5]), tuple("ab"), 1, (1), type((1)).__name__, type((1,)).__name__)
single = 5,
print(single, len(single))
try:
    t[0] = 9
except TypeError as e:
    print("TypeError:", e)
try:
    t.index(42)
except ValueError as e:
    print("ValueError:", e)
print((1, 2) + (3,), (0,) * 3, (1, 2) < (1, 3), (1, 2) < (1, 2, 0), (2,) > (1, 9), (1, 2) == (1, 2))
nested = ((1, 2), [3, 4])
nested[1].append(5)
print(nested)
pts = [(2, "b"), (1, "z"), (2, "a")]
print(sorted(pts), max(pts), min(pts))
print(3 in t, 9 not in t, list(t), sum(t))
def pair():
    return 7, "seven"
n, name = pair()
print(n, name, pair())
t2 = t
t2 += (9,)
print(t, t2, t is t2)
print(hash((1, 2)) == hash((1, 2)), {(1, 2): "pt"}[(1, 2)])
try:
    hash((1, [2]))
except TypeError as e:
    print("TypeError:", e)
print(tuple(x * x for x in range(4)), (1, (2, (3, ()))))
a, (b, c) = 1, (2, 3)
print(a, b, c)
