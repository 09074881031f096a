# __slots__: fixed attributes, no __dict__, AttributeError messages, inheritance with slots.
class P:
    __slots__ = ("x", "y")
    def __init__(self, x, y):
        self.x = x
        self.y = y
p = P(1, 2)
print(p.x, p.y, hasattr(p, "__dict__"), P.__slots__)
try:
    p.z = 3
except AttributeError as e:
    print("AttributeError:", e)
del p.y
try:
    p.y
except AttributeError as e:
    print("AttributeError:", e)
p.y = 5
print(p.y, type(P.__dict__["x"]).__name__)
q = P.__new__(P)
try:
    q.x
except AttributeError as e:
    print("AttributeError:", e)
class P3(P):
    __slots__ = ("z",)
p3 = P3(1, 2)
p3.z = 3
print(p3.x, p3.z, hasattr(p3, "__dict__"))
class Open(P):
    pass
o = Open(1, 2)
o.anything = 9
print(o.anything, sorted(o.__dict__))
class WithDict:
    __slots__ = ("a", "__dict__")
w = WithDict()
w.a = 1
w.b = 2
print(w.a, w.__dict__)
class Single:
    __slots__ = "only"
s = Single()
s.only = "yes"
print(s.only, Single.__slots__)
class Empty:
    __slots__ = ()
try:
    Empty().x = 1
except AttributeError as e:
    print("AttributeError:", e)
class ClassAttr:
    __slots__ = ("v",)
    default = 10
c = ClassAttr()
print(c.default)
try:
    c.default = 5
except AttributeError as e:
    print("AttributeError:", e)
