# Classes: class vs instance attributes, methods, __init__, bound methods, __dict__, __class__.
class Dog:
    species = "canis"
    count = 0

    def __init__(self, name, tricks=None):
        self.name = name
        self.tricks = list(tricks or [])
        Dog.count += 1

    def add_trick(self, trick):
        self.tricks.append(trick)
        return self

    def describe(self):
        return f"{self.name} ({self.species}) knows {self.tricks}"

a = Dog("rex")
b = Dog("fido", ["sit"])
a.add_trick("roll").add_trick("beg")
print(a.describe())
print(b.describe())
print(Dog.count, a.count, a.species is Dog.species)
a.species = "wolf"
print(a.species, b.species, Dog.species, sorted(a.__dict__), "species" in vars(b))
del a.species
print(a.species)
m = a.describe
print(m(), m.__self__ is a, m.__func__ is Dog.describe, Dog.describe(b))
print(type(a).__name__, a.__class__ is Dog, isinstance(a, Dog), Dog.__name__, Dog.__qualname__)
print(type(Dog).__name__, type(Dog.describe).__name__, type(a.describe).__name__)
r = repr(a)
print(r.startswith("<__main__.Dog object at 0x"), r.endswith(">"), str(a) == r)
print("@vary default repr:", a)
class Empty:
    pass
e = Empty()
e.dynamic = 5
print(e.dynamic, vars(e), Empty.__bases__[0].__name__, Empty.__module__)
try:
    e.missing
except AttributeError as ex:
    print("AttributeError:", ex)
try:
    Dog()
except TypeError as ex:
    print("TypeError:", ex)
class Counter:
    def __init__(self):
        self.n = 0
    def __call__(self):
        self.n += 1
        return self.n
c = Counter()
c()
c()
print(c.n, a == a, a == b, a != b)
class WithDoc:
    "A documented class."
    x: int = 3
print(WithDoc.__doc__, WithDoc.x, WithDoc.__annotations__)
