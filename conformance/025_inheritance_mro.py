# Inheritance: overriding, super(), multiple inheritance, C3 MRO (printed by name), MRO errors.
class A:
    def who(self):
        return "A"
    def chain(self):
        return ["A"]
class B(A):
    def who(self):
        return "B>" + super().who()
    def chain(self):
        return ["B"] + super().chain()
class C(A):
    def who(self):
        return "C>" + super().who()
    def chain(self):
        return ["C"] + super().chain()
class D(B, C):
    def chain(self):
        return ["D"] + super().chain()

def names(cls):
    return [k.__name__ for k in cls.__mro__]

print(names(D), D().who(), D().chain())
print(names(B), names(object), D.__bases__ == (B, C), [k.__name__ for k in D.mro()])
class O: pass
class X(O): pass
class Y(O): pass
class Z(O): pass
class K1(X, Y): pass
class K2(Y, Z): pass
class K3(X, Z): pass
class M(K1, K2, K3): pass
print(names(M))
try:
    class Bad(X, K1): pass
except TypeError as e:
    print("TypeError:", e)
class Base:
    def __init__(self, x):
        self.x = x
        print("Base init", x)
class Child(Base):
    def __init__(self, x, y):
        super().__init__(x)
        self.y = y
        print("Child init", y)
c = Child(1, 2)
print(c.x, c.y, isinstance(c, Base), issubclass(Child, Base), issubclass(Base, Child))
class Left:
    def __init__(self):
        print("Left")
        super().__init__()
class Right:
    def __init__(self):
        print("Right")
        super().__init__()
class Both(Left, Right):
    def __init__(self):
        print("Both")
        super().__init__()
Both()
print(names(Both), super(B, D()).who(), super(Left, Both()).__init__.__name__)
class Shape:
    sides = 0
    def describe(self):
        return f"{type(self).__name__} with {self.sides} sides"
class Tri(Shape):
    sides = 3
class Sq(Shape):
    sides = 4
print([s.describe() for s in (Shape(), Tri(), Sq())], Tri.__base__.__name__)
print([k.__name__ for k in Tri.__subclasses__()], sorted(k.__name__ for k in Shape.__subclasses__()))
