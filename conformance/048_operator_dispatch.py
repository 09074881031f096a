# Operator dispatch: NotImplemented fallbacks, subclass reflected priority, reflected comparisons, bit operators.
class Meters:
    def __init__(self, v):
        self.v = v
    def __add__(self, o):
        return NotImplemented
    def __radd__(self, o):
        return f"Meters.__radd__({o!r})"
class Feet:
    def __add__(self, o):
        return NotImplemented
    def __repr__(self):
        return "Feet()"
print(Feet() + Meters(1), 5 + Meters(2))
class Base:
    def __add__(self, o):
        return "Base.__add__"
class Sub(Base):
    def __radd__(self, o):
        return "Sub.__radd__ preferred"
class Sibling(Base):
    def __radd__(self, o):
        return "Sibling.__radd__"
print(Base() + Sub(), Base() + Base(), Sub() + Sibling())
class Cmp:
    def __init__(self, v):
        self.v = v
    def __lt__(self, o):
        print(f"lt {self.v} {o.v}")
        return self.v < o.v
    def __gt__(self, o):
        print(f"gt {self.v} {o.v}")
        return self.v > o.v
print(Cmp(1) > Cmp(2), Cmp(3) < Cmp(4))
class Bits:
    def __init__(self, v):
        self.v = v
    def __and__(self, o): return Bits(self.v & o.v)
    def __or__(self, o): return Bits(self.v | o.v)
    def __xor__(self, o): return Bits(self.v ^ o.v)
    def __invert__(self): return Bits(~self.v)
    def __lshift__(self, n): return Bits(self.v << n)
    def __rshift__(self, n): return Bits(self.v >> n)
x = (Bits(12) & Bits(10)) | Bits(1)
print(x.v, (Bits(6) ^ Bits(3)).v, (~Bits(0)).v, (Bits(1) << 4).v, (Bits(32) >> 2).v)
class Num:
    def __init__(self, v):
        self.v = v
    def __eq__(self, o):
        print(f"eq {self.v}")
        return NotImplemented
print(Num(1) == Num(1), Num(1) != Num(2), Num(3) == 3)
class Acc:
    def __init__(self):
        self.items = []
    def __add__(self, o):
        print("add creates a new object")
        new = Acc()
        new.items = self.items + [o]
        return new
acc = Acc()
first = acc
acc += 1
print("no __iadd__ falls back to __add__:", acc is first, acc.items, first.items)
class LShift:
    def __rlshift__(self, o):
        return f"rlshift({o})"
    def __rmatmul__(self, o):
        return f"rmatmul({o})"
print(1 << LShift(), [1] @ LShift())
try:
    Cmp(1) <= Cmp(2)
except TypeError as e:
    print("TypeError:", e)
