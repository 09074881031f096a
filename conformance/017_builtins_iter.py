# Iteration builtins: range, enumerate, zip, map, filter, iter/next, and their laziness.
print(list(range(5)), list(range(2, 10, 3)), list(range(10, 0, -3)), list(range(0)), list(range(5, 2)))
r = range(1, 20, 4)
print(r, len(r), r[1], r[-1], r[1:3], 9 in r, 10 in r, r.index(13), r.count(5))
print(list(enumerate("abc")), list(enumerate("ab", start=10)))
print(list(zip([1, 2, 3], "ab")), list(zip()), list(zip([1], [2], [3])))
try:
    list(zip([1, 2], [1], strict=True))
except ValueError as e:
    print("ValueError:", e)
print(list(map(str.upper, ["a", "b"])), list(map(lambda x, y: x * y, [1, 2, 3], [4, 5])))
print(list(filter(None, [0, 1, "", "x", None, [], [0]])), list(filter(lambda n: n % 2, range(7))))
it = iter([10, 20])
print(next(it), next(it), next(it, "done"))
try:
    next(it)
except StopIteration as e:
    print("StopIteration", repr(e))
log = []
def noisy(x):
    log.append(x)
    return x * 10
m = map(noisy, [1, 2, 3])
print(log)
print(next(m), log)
print(list(m), log)
pairs = [("a", 1), ("b", 2)]
letters, nums = zip(*pairs)
print(letters, nums)
print(dict(enumerate("xy")), list(zip(range(3), range(10, 13), "xyz")))
calls = iter(lambda: log.pop(0) if log else None, None)
print(list(calls))
for i, (x, y) in enumerate(zip("pq", [7, 8])):
    print(i, x, y)
print(list(reversed(range(4))), list(range(-3, 3))[::2], sum(range(101)))
e = enumerate(["only"])
print(type(e).__name__, next(e), next(e, None))
big = range(10 ** 12)
print(len(big), big[-1], 10 ** 12 - 1 in big)
