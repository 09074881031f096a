# list slicing: reading, slice assignment (grow/shrink), extended slices, del slices, negative steps.
a = list(range(10))
print(a[2:5], a[:3], a[-2:], a[::3], a[::-1], a[7:2:-2], a[-1:-5:-1], a[5:100], a[100:])
b = a[:]
b[2:5] = ["x"]
print(b)
b[1:1] = [10, 11, 12]
print(b)
b[:2] = []
print(b)
b[-1:] = "yz"
print(b)
c = list(range(10))
c[::2] = ["e"] * 5
print(c)
c[::-3] = [0, 0, 0, 0]
print(c)
try:
    c[::2] = [1, 2]
except ValueError as e:
    print("ValueError:", e)
d = list(range(10))
del d[1:3]
print(d)
del d[::2]
print(d)
del d[::-1]
print(d)
e = list(range(10))
del e[-3:]
del e[0]
del e[100:]
print(e)
f = [1, 2, 3]
f[1:2] = f
print(f)
g = list(range(6))
g[4:1] = ["in"]
print(g)
h = [0, 1, 2, 3, 4]
h[len(h):] = [5, 6]
h[:0] = [-1]
print(h, h[slice(1, 4)], h[slice(None, None, -2)])
print(slice(1, 10, 2).indices(5), slice(None).indices(3), slice(-1, None, -1).indices(4))
try:
    h[20]
except IndexError as e:
    print("IndexError:", e)
try:
    h[20] = 1
except IndexError as e:
    print("IndexError:", e)
m = [[1, 2, 3], [4, 5, 6]]
print([row[1:] for row in m], [row[::-1] for row in m], m[-1][-1])
s = list("abcdef")
s[1:5:2] = ("B", "D")
print("".join(s))
