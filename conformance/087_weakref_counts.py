# weakref.getweakrefcount / getweakrefs as weakrefs are created and destroyed; proxies are skipped.
import weakref


class Obj:
    pass


o = Obj()
print("none yet:", weakref.getweakrefcount(o), weakref.getweakrefs(o))
r1 = weakref.ref(o)
print("one plain ref:", weakref.getweakrefcount(o))
r2 = weakref.ref(o)
print("plain ref shared:", weakref.getweakrefcount(o), r1 is r2)
cb1 = weakref.ref(o, lambda r: None)
cb2 = weakref.ref(o, lambda r: None)
print("two callback refs added:", weakref.getweakrefcount(o))
refs = weakref.getweakrefs(o)
print("getweakrefs:", len(refs), refs[0] is r1, any(x is cb1 for x in refs), any(x is cb2 for x in refs))
del refs
del cb1
print("callback ref deleted:", weakref.getweakrefcount(o))
del r1
print("one name of the plain ref deleted:", weakref.getweakrefcount(o))
del r2
print("plain ref gone:", weakref.getweakrefcount(o))
print("non-weakrefable objects:", weakref.getweakrefcount(5), weakref.getweakrefs("s"))
many = [weakref.ref(o, lambda r: None) for _ in range(10)]
print("ten more:", weakref.getweakrefcount(o))
many = many[5:]
print("five dropped:", weakref.getweakrefcount(o))
del o
print("referent dead, refs dead:", all(r() is None for r in many), cb2() is None)


class Sub(weakref.ref):
    pass


p = Obj()
s1 = Sub(p)
s2 = Sub(p)
print("subclass refs are not shared:", s1 is s2, weakref.getweakrefcount(p), type(s1).__name__)
plain = weakref.ref(p)
print("with a plain one:", weakref.getweakrefcount(p))
