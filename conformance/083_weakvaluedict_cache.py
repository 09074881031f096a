# weakref.WeakValueDictionary as a cache: entries vanish when the last strong reference goes.
import gc
import weakref


class Image:
    loads = 0

    def __init__(self, name):
        Image.loads += 1
        self.name = name

    def __repr__(self):
        return f"Image({self.name!r})"


cache = weakref.WeakValueDictionary()


def load(name):
    img = cache.get(name)
    if img is None:
        img = Image(name)
        cache[name] = img
    return img


a = load("logo")
b = load("logo")
print("same object:", a is b, "loads:", Image.loads, "len:", len(cache), "in:", "logo" in cache)
c = load("banner")
print("keys:", sorted(cache.keys()), "loads:", Image.loads)
del a
print("one reference left:", "logo" in cache)
del b
print("after last reference:", "logo" in cache, len(cache), sorted(cache))
load("logo")
print("temporary load is dropped at once:", "logo" in cache, Image.loads)
try:
    cache["logo"]
except KeyError as e:
    print("KeyError:", e)
print("values:", list(cache.values()), "items:", list(cache.items()))
print("get default:", cache.get("nothing", "default"), cache.pop("banner") is c, len(cache))
cache["banner"] = c
cache.update({"x": c})
print("setdefault:", cache.setdefault("x", None) is c, sorted(cache))
del cache["x"]
print("after del item:", sorted(cache))
c = None
print("all gone:", len(cache), dict(cache))
keep = [Image(str(i)) for i in range(5)]
for img in keep:
    cache[img.name] = img
del img
del keep[::2]
print("after dropping every other:", sorted(cache))
n = Image("cyclic")
n.self = n
cache["cyclic"] = n
del n
print("cyclic value still cached:", "cyclic" in cache)
gc.collect()
print("after gc.collect():", "cyclic" in cache, sorted(cache))
