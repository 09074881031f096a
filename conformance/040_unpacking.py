# Unpacking: tuples, nested, star targets, swap, star in calls/literals, errors.
a, b = 1, 2
a, b = b, a
print(a, b)
x, y, z = "xyz"
print(x, y, z)
first, *rest = [1, 2, 3, 4]
print(first, rest)
*init, last = range(5)
print(init, last)
h, *mid, t = "abcde"
print(h, mid, t)
p, *q = [9]
print(p, q)
(a, b), [c, d] = (1, 2), [3, 4]
print(a, b, c, d)
for i, (k, v) in enumerate({"k1": 1, "k2": 2}.items()):
    print(i, k, v)
try:
    a, b = [1, 2, 3]
except ValueError as e:
    print("ValueError:", e)
try:
    a, b, c = [1, 2]
except ValueError as e:
    print("ValueError:", e)
try:
    a, *b, c = [1]
except ValueError as e:
    print("ValueError:", e)
try:
    a, b = 5
except TypeError as e:
    print("TypeError:", e)
print([*range(3), *"ab"], (*[1], 2), {*"aa", "b"} == {"a", "b"}, {**{"a": 1}, "b": 2})
def f(*args, **kw):
    return args, kw
print(f(*[1, 2], 3, *(4,), **{"x": 1}, y=2))
lst = [0, 0, 0]
i = 0
i, lst[i] = 1, 5
print(i, lst)
m = n = []
m.append(1)
print(m, n, m is n)
o = [1, 2, 3]
o[0], o[2] = o[2], o[0]
print(o)
a = b = c = 7
print(a, b, c)
(s1, s2), s3 = "ab", "c"
print(s1, s2, s3)
head, *_ = "only"
print(head, _)
class P:
    pass
obj = P()
obj.a, obj.b = "A", "B"
print(obj.a, obj.b)
d = {}
d["x"], d["y"] = divmod(17, 5)
print(d)
