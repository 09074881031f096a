# list methods: append/extend/insert/remove/pop/index/count/sort/reverse/copy/clear, operators.
xs = [3, 1, 4]
xs.append(1)
xs.extend([5, 9])
xs.extend(range(2))
xs.insert(0, 2)
xs.insert(100, 6)
xs.insert(-1, 7)
print(xs, len(xs))
xs.remove(1)
print(xs, xs.pop(), xs.pop(0), xs.pop(-2), xs)
print(xs.index(4), xs.index(1), xs.count(1), xs.count(42), 9 in xs, 42 not in xs)
try:
    xs.remove(42)
except ValueError as e:
    print("ValueError:", e)
try:
    xs.index(42)
except ValueError as e:
    print("ValueError:", e)
try:
    [].pop()
except IndexError as e:
    print("IndexError:", e)
ys = xs.copy()
ys.sort()
print(xs, ys, xs == ys, xs is ys)
ys.sort(reverse=True)
print(ys)
ys.reverse()
print(ys)
words = ["banana", "Apple", "cherry", "date"]
words.sort(key=str.lower)
print(words)
words.sort(key=len)
print(words)
print([1, 2] + [3], [0] * 3, [[0] * 2] * 2, [1, 2] * 0)
a = [1, 2]
b = a
a += [3]
a *= 2
print(a, b, a is b)
print([1, 2, 3] < [1, 2, 4], [1, 2] < [1, 2, 0], [2] > [1, 99], [] == [], [1, [2]] == [1, [2]])
nested = [[3, "c"], [1, "a"], [2, "b"]]
nested.sort()
print(nested, min(nested), max(nested))
ys.clear()
print(ys, len(ys), bool(ys), list(), list("ab"), list((1, 2)), list(range(3)))
m = [[1, 2], [3, 4]]
shallow = m.copy()
shallow[0].append(9)
print(m, shallow)
stable = sorted([(1, "b"), (0, "x"), (1, "a"), (0, "y")], key=lambda p: p[0])
print(stable)
try:
    [1, "a"].sort()
except TypeError as e:
    print("TypeError:", e)
