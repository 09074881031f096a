# weakref.WeakKeyDictionary: per-object metadata that disappears with the object.
import weakref


class Widget:
    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return f"Widget({self.name})"


meta = weakref.WeakKeyDictionary()
w1, w2 = Widget("one"), Widget("two")
meta[w1] = {"clicks": 0}
meta[w2] = {"clicks": 5}
meta[w1]["clicks"] += 1
print("len:", len(meta), "w1:", meta[w1], "w2 in:", w2 in meta)
print("keys:", sorted(k.name for k in meta.keys()), "values:", sorted(v["clicks"] for v in meta.values()))
del w1
print("after del w1:", len(meta), [k.name for k in meta])
print("get missing:", meta.get(Widget("tmp"), "none"))
try:
    meta[Widget("tmp2")]
except KeyError:
    print("KeyError for a key that is not there")
w3 = Widget("three")
meta.setdefault(w3, []).append("x")
print("setdefault:", meta[w3])
print("pop:", meta.pop(w2), len(meta))
meta.update({w2: "back"})
print("items:", sorted((k.name, str(v)) for k, v in meta.items()))
w2 = w3 = None
print("all keys gone:", len(meta), list(meta.items()))
try:
    meta["string keys are not weakrefable"] = 1
except TypeError as e:
    print("TypeError:", e)
objs = [Widget(str(i)) for i in range(4)]
for o in objs:
    meta[o] = o.name
del o
objs.pop(1)
objs.pop(0)
print("remaining:", sorted(meta.values()))
objs.clear()
print("empty:", len(meta), bool(meta))
