# __slots__ without __weakref__ cannot be weakly referenced; adding "__weakref__" to the slots fixes it.
import weakref


class NoWeak:
    __slots__ = ("a",)


class WithWeak:
    __slots__ = ("a", "__weakref__")


class Regular:
    pass


for cls in (NoWeak, WithWeak, Regular):
    try:
        obj = cls()
        r = weakref.ref(obj)
        print(cls.__name__, "weakrefable, alive:", r() is obj)
        del obj
        print(cls.__name__, "dead after del:", r() is None)
    except TypeError as e:
        print("TypeError:", e)
print("has __weakref__ slot:", hasattr(NoWeak, "__weakref__"), hasattr(WithWeak, "__weakref__"))
w = WithWeak()
print("__weakref__ attribute is None without refs:", w.__weakref__ is None)
ref = weakref.ref(w)
print("__weakref__ is the ref:", w.__weakref__ is ref)


class SubOfNoWeak(NoWeak):
    pass


s = SubOfNoWeak()
print("subclass without slots gains weakref support:", weakref.ref(s)() is s)


class SubWithSlots(NoWeak):
    __slots__ = ("b",)


try:
    weakref.ref(SubWithSlots())
except TypeError as e:
    print("TypeError:", e)
try:
    weakref.WeakSet().add(NoWeak())
except TypeError as e:
    print("TypeError:", e)
try:
    weakref.WeakValueDictionary()["k"] = NoWeak()
except TypeError as e:
    print("TypeError:", e)
try:
    class Twice(WithWeak):
        __slots__ = ("__weakref__",)
except TypeError as e:
    print("TypeError:", e)
