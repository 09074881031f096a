# set and frozenset: operations, methods, comparisons, hashing rules (printed sorted).
a = {1, 2, 3, 4}
b = {3, 4, 5}
print(sorted(a | b), sorted(a & b), sorted(a - b), sorted(a ^ b), sorted(b - a))
print(sorted(a.union([9])), sorted(a.intersection(b, {4})), sorted(a.difference(b)), sorted(a.symmetric_difference(b)))
print({1, 2} <= a, {1, 2} < a, a <= a, a < a, a >= {1}, a.issubset(range(10)), a.isdisjoint({7, 8}))
s = set()
s.add(3)
s.add(1)
s.add(3)
s.update([2, 5], (8,))
print(sorted(s), len(s), 3 in s, 4 not in s)
s.discard(99)
s.remove(5)
try:
    s.remove(5)
except KeyError as e:
    print("KeyError:", e)
print(sorted(s))
popped = {42}.pop()
print(popped)
try:
    set().pop()
except KeyError as e:
    print("KeyError:", e)
c = set(a)
c &= {1, 2, 10}
print(sorted(c))
c |= {7}
c -= {1}
c ^= {2, 9}
print(sorted(c))
f = frozenset([3, 1, 2, 3])
print(sorted(f), len(f), type(f | {9}).__name__, type({9} | f).__name__, f == {1, 2, 3})
print({f: "frozen key"}[frozenset({1, 2, 3})], frozenset() == set(), set() == set())
try:
    {[1]}
except TypeError as e:
    print("TypeError:", e)
try:
    {{1}}
except TypeError as e:
    print("TypeError:", e)
print(sorted({x % 3 for x in range(10)}), sorted(set("mississippi")), len({1, 1.0, True}))
words = ["pear", "apple", "pear", "fig", "apple"]
seen, uniq = set(), []
for w in words:
    if w not in seen:
        seen.add(w)
        uniq.append(w)
print(uniq, sorted(seen))
print(set(), frozenset(), repr({5}), sorted(frozenset("ba")), {1, 2} == frozenset({2, 1}))
d = a.copy()
d.clear()
print(d, a == {4, 3, 2, 1}, sorted(a))
