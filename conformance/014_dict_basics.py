# dict: insertion order, get/setdefault/pop/popitem/update, keyword constructor, KeyError.
d = {"b": 2, "a": 1}
d["c"] = 3
d["b"] = 20
print(d, len(d), d["a"], "a" in d, "z" in d, "z" not in d)
print(d.get("a"), d.get("z"), d.get("z", 0), d.setdefault("a", 99), d.setdefault("e", 5), d)
print(d.pop("b"), d.pop("zz", "dflt"), d)
try:
    d.pop("zz")
except KeyError as e:
    print("KeyError:", e)
try:
    d["missing"]
except KeyError as e:
    print("KeyError:", e, repr(e))
del d["a"]
print(d)
d.update({"x": 1, "c": 30})
d.update(y=2)
d.update([("z", 3)])
print(d)
print(d.popitem(), d)
print(dict(a=1, b=2), dict([("k", "v")]), dict({"m": 1}, n=2), dict(zip("abc", range(3))))
print(dict.fromkeys(["p", "q"]), dict.fromkeys("xy", 0))
e = {}
e[1] = "int"
e[1.0] = "float"
e[True] = "bool"
e[(1, 2)] = "tuple"
print(e)
c = d.copy()
c["new"] = 1
print(d, c, d == c, {1: 2} == {1: 2})
c.clear()
print(c, bool(c), bool(d))
order = {}
for k in ["z", "a", "m", "a", "b"]:
    order[k] = order.get(k, 0) + 1
print(order, list(order))
del order["z"]
order["z"] = 0
print(list(order.items()))
try:
    {[]: 1}
except TypeError as e:
    print("TypeError:", e)
print({"a": 1} | {"b": 2}, {"a": 1, "b": 2} | {"a": 3})
u = {"a": 1}
u |= {"c": 3}
print(u, {**u, "d": 4}, dict(**u))
