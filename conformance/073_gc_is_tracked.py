# gc.is_tracked for atomic and container objects, including dict and tuple untracking rules.
import gc


class Inst:
    pass


class Slotted:
    __slots__ = ("a",)


one = 1
items = [
    ("int", 42), ("big int", 10 ** 50), ("float", 1.5), ("str", "text"), ("bytes", b"b"),
    ("None", None), ("bool", True), ("empty list", []), ("list of ints", [1, 2]),
    ("empty dict", {}), ("dict of atoms", {"a": 1, "b": "s"}), ("dict with list", {"a": []}),
    ("instance", Inst()), ("slotted instance", Slotted()), ("class", Inst), ("function", len),
    ("set", {1}), ("frozenset", frozenset({1})), ("bytearray", bytearray(b"x")),
    ("lambda", lambda: 0), ("range", range(3)), ("type object", int),
]
for name, obj in items:
    print(f"{name}: {gc.is_tracked(obj)}")
d = {}
print("empty dict:", gc.is_tracked(d))
d["k"] = 1
print("after atomic value:", gc.is_tracked(d))
d["l"] = []
print("after list value:", gc.is_tracked(d))
del d["l"]
print("after removing it (stays tracked):", gc.is_tracked(d))
t = (one, "x")
print("new tuple of atoms:", gc.is_tracked(t))
gc.collect()
print("same tuple after a collection:", gc.is_tracked(t))
t2 = (one, [])
gc.collect()
print("tuple holding a list after a collection:", gc.is_tracked(t2))
t3 = (one, (one, "y"))
gc.collect()
gc.collect()
print("nested tuple of atoms after two collections:", gc.is_tracked(t3), gc.is_tracked(t3[1]))
print("empty tuple:", gc.is_tracked(()))
