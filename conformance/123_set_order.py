# Sets of ints iterate in CPython's slot order: displays, set(), adds, discards, pops, copies and every set operation.
import random

random.seed(5)
print({3, 1, 2}, {100, 8, 16, 1, 9}, set(range(20, 0, -3)), {1000000, -1, -2, 7})
s = set()
for i in [5, 13, 21, 29, 37, 45, 53, 61, 69]:
    s.add(i)
print(s)
s.discard(21)
s.discard(37)
s.add(77)
s.add(21)
print(s, s.pop(), s.pop(), s)
for trial in range(25):
    a = {random.randrange(-50, 200) for _ in range(random.randrange(0, 30))}
    b = set(random.randrange(-50, 200) for _ in range(random.randrange(0, 30)))
    l = [random.randrange(-50, 400) for _ in range(random.randrange(0, 40))]
    print(a | b, a & b, a - b, b - a, a ^ b, a.copy(), frozenset(b))
    print(a.union(b, l), a.intersection(l), a.difference(l, b), a.symmetric_difference(l))
    c = set(a); c |= b
    d = set(a); d &= b
    e = set(a); e -= b
    f = set(a); f ^= b
    g = set(a); g.difference_update(l)
    h = set(a); h.intersection_update(l)
    print(c, d, e, f, g, h)
    for x in list(a)[:5]:
        a.discard(x)
    a.update(range(10))
    print(a, [a.pop() for _ in range(min(3, len(a)))], a)
print({x * 1.5 for x in range(12)}, {(1, 2), (3, 4), (5, 6)}, {None, True, 0})
